import type { ClientStorage } from './storage.ts';

const LAST_SEEN = 'keywarden:last-seen';

/**
 * Detects a clock set backwards: it persists the latest time it has seen (the local clock, and
 * the server's time from signed answers) and reports any later reading that lies more than
 * `toleranceMs` before it. Offline answers are then refused until an online answer succeeds.
 */
export class ClockGuard {
  readonly #storage: ClientStorage;
  readonly #toleranceMs: number;

  constructor(storage: ClientStorage, toleranceMs: number) {
    this.#storage = storage;
    this.#toleranceMs = toleranceMs;
  }

  async lastSeen(): Promise<number> {
    const raw = await this.#storage.get(LAST_SEEN);
    const value = raw === undefined ? 0 : Number(raw);
    return Number.isFinite(value) ? value : 0;
  }

  /** Records `now` (and a trusted server time); true when `now` is earlier than a time already seen. */
  async observe(now: number, trustedServerTime?: number): Promise<boolean> {
    const last = await this.lastSeen();
    const rolledBack = now + this.#toleranceMs < last;
    // A rolled-back reading never lowers the mark; a trusted server time can raise it.
    const next = Math.max(last, rolledBack ? 0 : now, trustedServerTime ?? 0);
    if (next > last) await this.#storage.set(LAST_SEEN, String(next));
    return rolledBack;
  }

}
