import type { Logger } from '../../lib/logger.ts';
import { databaseUnavailableReason } from '../../lib/database-unavailable.ts';
import { databaseUnavailableProblem } from '../http/database-unavailable.ts';
import type { Problem } from '../http/problem.ts';

export interface DatabaseOutageOptions {
  logger: Logger;
  /** A cheap query (`select 1`): run while an outage lasts, so its end is noticed without traffic. */
  probe: () => Promise<unknown>;
  /** How often the probe runs during an outage (default 1 s). */
  probeEveryMs?: number;
  /** How long one probe may take before it counts as failed (default 2 s). */
  probeTimeoutMs?: number;
}

export interface OutageState {
  since: Date;
  /** A short, safe label of the first failure (e.g. ECONNREFUSED, 57P01). */
  reason: string;
  /** Requests answered 503 DATABASE_UNAVAILABLE since it began. */
  refused: number;
}

/**
 * Whether this process sees Postgres as unreachable, shared by everything in it that talks to
 * Postgres. Fed by failures (the error middleware reports each one it answers 503) and ended
 * by the first success after them: its own probe, which runs only while the outage lasts, or
 * the readiness check. The log gets one line when an outage begins and one when it ends,
 * however many requests fail in between.
 */
export class DatabaseOutage {
  readonly #options: DatabaseOutageOptions;
  #state: OutageState | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: DatabaseOutageOptions) {
    this.#options = options;
  }

  get down(): boolean {
    return this.#state !== undefined;
  }

  /** The outage under way, if any (a copy). */
  get state(): OutageState | undefined {
    return this.#state && { ...this.#state };
  }

  /**
   * Reports a failure. One that means Postgres is unreachable counts towards the outage
   * (beginning it, if none is under way) and returns true; any other returns false.
   */
  report(error: unknown): boolean {
    const reason = databaseUnavailableReason(error);
    if (!reason) return false;
    if (this.#state) return true;
    this.#state = { since: new Date(), reason, refused: 0 };
    this.#options.logger.error({ reason }, 'Postgres is unreachable: requests that need it answer 503 DATABASE_UNAVAILABLE, cached validations are answered from their last known state, until it is back');
    this.#scheduleProbe();
    return true;
  }

  /** The error middleware's translator: 503 DATABASE_UNAVAILABLE (with Retry-After) for an unreachable Postgres. */
  readonly problemFor = (error: unknown): Problem | undefined => {
    if (!this.report(error)) return undefined;
    this.#state!.refused += 1;
    return databaseUnavailableProblem();
  };

  /** Postgres answered: ends the outage under way, if any. */
  recovered(): void {
    const state = this.#state;
    if (!state) return;
    this.#state = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const seconds = Math.round((Date.now() - state.since.getTime()) / 100) / 10;
    this.#options.logger.info({ reason: state.reason, outage_seconds: seconds, refused: state.refused }, `Postgres is reachable again after ${seconds} s (${state.refused} requests were answered 503 meanwhile)`);
  }

  /** One probe at a time: a failure reported while one is due changes nothing. */
  #scheduleProbe(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#probe();
    }, this.#options.probeEveryMs ?? 1000);
    this.#timer.unref();
  }

  async #probe(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#options.probe(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error('probe timed out')), this.#options.probeTimeoutMs ?? 2000);
        }),
      ]);
      this.recovered();
    } catch {
      // Still down (or down in another way): keep the outage as it began, and look again.
      if (this.#state) this.#scheduleProbe();
    } finally {
      clearTimeout(timeout);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
