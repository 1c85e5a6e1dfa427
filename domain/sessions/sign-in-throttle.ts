import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';

export interface SignInLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  /** Failures count within this window; reaching the limit locks for as long. */
  lockoutMs: number;
}

/**
 * Failed sign-ins, counted per account (by the e-mail asked for, whether or not it exists, so
 * a lockout says nothing about which accounts do) and per IP, in Postgres so all replicas
 * share the counts. Reaching a limit locks that account or IP out for the lockout period.
 */
export class SignInThrottle {
  readonly #secret: ServerSecret;
  readonly limits: SignInLimits;

  constructor(secret: ServerSecret, limits: SignInLimits) {
    this.#secret = secret;
    this.limits = limits;
  }

  keys(email: string, ip: string | null) {
    return {
      account: `account:${this.#secret.lookupHash(`sign-in:${email}`).slice(0, 64)}`,
      ip: `ip:${this.#secret.lookupHash(`sign-in-ip:${ip ?? 'unknown'}`).slice(0, 64)}`,
    };
  }

  /** Seconds until the later of the keys' lockouts ends, or 0 when neither is locked. */
  async lockedFor(em: EntityManager, keys: string[], now = new Date()): Promise<number> {
    const rows = await em.execute<{ locked_until: Date }[]>(`select locked_until from sign_in_throttle where key in (${keys.map(() => '?').join(', ')}) and locked_until > ?`, [...keys, now]);
    const until = Math.max(0, ...rows.map((row) => new Date(row.locked_until).getTime()));
    return until ? Math.max(1, Math.ceil((until - now.getTime()) / 1000)) : 0;
  }

  /** Counts one failure against a key; the limit-th failure within the window locks it. */
  async recordFailure(em: EntityManager, key: string, limit: number, now = new Date()): Promise<void> {
    const windowStart = new Date(now.getTime() - this.limits.lockoutMs);
    const lockedUntil = new Date(now.getTime() + this.limits.lockoutMs);
    await em.execute(
      `insert into sign_in_throttle as t (key, failures, window_started_at, locked_until) values (?, 1, ?, case when 1 >= ? then ?::timestamptz else null end)
       on conflict (key) do update set
         failures = case when t.window_started_at < ? then 1 else t.failures + 1 end,
         window_started_at = case when t.window_started_at < ? then excluded.window_started_at else t.window_started_at end,
         locked_until = case when (case when t.window_started_at < ? then 1 else t.failures + 1 end) >= ? then ?::timestamptz else t.locked_until end`,
      [key, now, limit, lockedUntil, windowStart, windowStart, windowStart, limit, lockedUntil],
    );
  }

  /** A successful sign-in forgives the account's failures (not the IP's), and drops counts that no longer matter. */
  async clear(em: EntityManager, key: string, now = new Date()): Promise<void> {
    await em.execute(`delete from sign_in_throttle where key = ?`, [key]);
    const stale = new Date(now.getTime() - this.limits.lockoutMs);
    await em.execute(`delete from sign_in_throttle where window_started_at < ? and (locked_until is null or locked_until < ?)`, [stale, now]);
  }
}
