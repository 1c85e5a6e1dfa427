import { Problem } from './problem.ts';

export interface RateLimits {
  /** Client calls per IP per minute. */
  perIpPerMinute: number;
  /** Client calls per license key per minute, from every address together: the key's ceiling. */
  perKeyPerMinute: number;
  /** Client calls per license key from one address per minute (several times below the ceiling); default: the ceiling. */
  perKeyIpPerMinute?: number;
  /** Unknown keys per IP per minute: beyond it the IP is refused (key guessing). */
  unknownKeysPerIpPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perIpPerMinute: 1200, perKeyPerMinute: 3000, perKeyIpPerMinute: 300, unknownKeysPerIpPerMinute: 60 };

const WINDOW_MS = 60_000;

interface Window {
  count: number;
  /** Epoch ms when this window ends and the count starts again. */
  resetAt: number;
}

/**
 * Points per key in fixed windows that start with a key's first point (as rate-limiter-flexible's
 * memory limiter counts them), kept synchronously: the hot path pays a Map look-up, no promise
 * and no timer. Windows live in two generations, rotated every window length: a window still
 * running at a rotation was touched in the last generation, so dropping the older one loses none.
 */
class FixedWindows {
  readonly points: number;
  #current = new Map<string, Window>();
  #previous = new Map<string, Window>();
  #rotateAt = 0;

  constructor(points: number) {
    this.points = points;
  }

  /** The key's running window, or undefined when it has none. */
  peek(key: string, now: number): Window | undefined {
    // (Also when the clock went back by more than a window, so memory stays bounded.)
    if (now >= this.#rotateAt || now < this.#rotateAt - 2 * WINDOW_MS) this.#rotate(now);
    let window = this.#current.get(key);
    if (window === undefined) {
      window = this.#previous.get(key);
      if (window === undefined || window.resetAt <= now) return undefined;
      this.#current.set(key, window);
    }
    return window.resetAt > now ? window : undefined;
  }

  /** Adds points to the key's window (opening one if needed) and returns it. */
  add(key: string, now: number, points = 1): Window {
    let window = this.peek(key, now);
    if (window === undefined) {
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.#current.set(key, window);
    }
    window.count += points;
    return window;
  }

  #rotate(now: number) {
    this.#previous = this.#current;
    this.#current = new Map();
    this.#rotateAt = now + WINDOW_MS;
  }
}

function refuse(window: Window, now: number, what: string): never {
  const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  throw new Problem('RATE_LIMITED', `too many ${what}; retry in ${retryAfter} s`, { headers: { 'Retry-After': String(retryAfter) } });
}

/**
 * Per-replica limits on the client endpoints, which anyone can call. The counters are in
 * memory: cheap on the hot path, and a guessing client has to spread over replicas and IPs to
 * gain anything.
 */
export class ClientRateLimiter {
  readonly #ip: FixedWindows;
  readonly #key: FixedWindows;
  readonly #keyIp: FixedWindows;
  readonly #unknown: FixedWindows;

  constructor(limits: RateLimits = DEFAULT_RATE_LIMITS) {
    this.#ip = new FixedWindows(limits.perIpPerMinute);
    this.#key = new FixedWindows(limits.perKeyPerMinute);
    this.#keyIp = new FixedWindows(limits.perKeyIpPerMinute ?? limits.perKeyPerMinute);
    this.#unknown = new FixedWindows(limits.unknownKeysPerIpPerMinute);
  }

  /**
   * Before any work: refuses an IP barred for guessing keys, then counts the call against the
   * IP's budget, then against the key's from this IP, then against the key's ceiling (by its
   * lookup hash). Throws RATE_LIMITED (429). A call refused at one step is not counted by the
   * next: an address over its share of a key never uses up the key's ceiling, so one client
   * alone cannot lock the key's other users out.
   */
  admit(ip: string, keyHash: string, now = Date.now()): void {
    const barred = this.#unknown.peek(ip, now);
    if (barred !== undefined && barred.count >= this.#unknown.points) refuse(barred, now, 'unknown license keys from this address');
    const byIp = this.#ip.add(ip, now);
    if (byIp.count > this.#ip.points) refuse(byIp, now, 'requests from this address');
    const byKeyIp = this.#keyIp.add(`${keyHash} ${ip}`, now);
    if (byKeyIp.count > this.#keyIp.points) refuse(byKeyIp, now, 'requests for this license key from this address');
    const byKey = this.#key.add(keyHash, now);
    if (byKey.count > this.#key.points) refuse(byKey, now, 'requests for this license key');
  }

  /** Counts an unknown key against the IP; never throws (the current answer is still NOT_FOUND). */
  recordUnknownKey(ip: string, now = Date.now()): void {
    this.#unknown.add(ip, now);
  }
}
