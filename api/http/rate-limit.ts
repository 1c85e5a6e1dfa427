import type { Context } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem } from './problem.ts';

export interface RateLimits {
  /** Client calls per IP per minute. */
  perIpPerMinute: number;
  /** Client calls per license key per minute. */
  perKeyPerMinute: number;
  /** Unknown keys per IP per minute: beyond it the IP is refused (key guessing). */
  unknownKeysPerIpPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perIpPerMinute: 1200, perKeyPerMinute: 300, unknownKeysPerIpPerMinute: 60 };

function refuse(result: RateLimiterRes, what: string): never {
  const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  throw new Problem('RATE_LIMITED', `too many ${what}; retry in ${retryAfter} s`, { headers: { 'Retry-After': String(retryAfter) } });
}

/**
 * Per-replica limits on the client endpoints, which anyone can call. The limiters are
 * in memory (rate-limiter-flexible): cheap on the hot path, and a guessing client has to
 * spread over replicas and IPs to gain anything.
 */
export class ClientRateLimiter {
  readonly #ip: RateLimiterMemory;
  readonly #key: RateLimiterMemory;
  readonly #unknown: RateLimiterMemory;

  constructor(limits: RateLimits = DEFAULT_RATE_LIMITS) {
    this.#ip = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIpPerMinute, duration: 60 });
    this.#key = new RateLimiterMemory({ keyPrefix: 'key', points: limits.perKeyPerMinute, duration: 60 });
    this.#unknown = new RateLimiterMemory({ keyPrefix: 'unknown', points: limits.unknownKeysPerIpPerMinute, duration: 60 });
  }

  /** Before any work: the IP's overall budget, and whether it is barred for guessing. */
  async admitIp(ctx: Context): Promise<void> {
    const barred = await this.#unknown.get(ctx.ip);
    if (barred && barred.remainingPoints <= 0) refuse(barred, 'unknown license keys from this address');
    await this.#ip.consume(ctx.ip).catch((result: unknown) => {
      if (result instanceof RateLimiterRes) refuse(result, 'requests from this address');
      throw result;
    });
  }

  async admitKey(keyHash: string): Promise<void> {
    await this.#key.consume(keyHash).catch((result: unknown) => {
      if (result instanceof RateLimiterRes) refuse(result, 'requests for this license key');
      throw result;
    });
  }

  /** Counts an unknown key against the IP; never throws (the current answer is still NOT_FOUND). */
  async recordUnknownKey(ip: string): Promise<void> {
    await this.#unknown.penalty(ip, 1);
  }
}
