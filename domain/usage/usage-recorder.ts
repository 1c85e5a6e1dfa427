import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import { UsageBuffer, type UsageCall } from './usage-buffer.ts';
import { writeUsageEvents, type CountryOf } from './write-usage-events.ts';

export interface UsageRecorderOptions {
  em: EntityManager;
  logger: Logger;
  countryOf: CountryOf;
  /** USAGE_FLUSH_INTERVAL in ms (default 2 s): what a crash can lose at most. */
  flushIntervalMs: number;
  /** USAGE_BUFFER_MAX: distinct rows held between flushes; calls beyond are dropped and counted. */
  maxRows: number;
}

/**
 * Usage capture off the hot path: `record()` adds a call to the in-memory aggregate (no I/O,
 * no parsing), and every flush interval the aggregate is written in one statement. A failed
 * write puts its rows back for the next flush (within the cap), so a Postgres outage loses
 * nothing until the cap is reached; a crash loses what was recorded since the last flush, at
 * most one interval. `close()` flushes what is left.
 */
export class UsageRecorder {
  readonly #buffer: UsageBuffer;
  readonly #options: UsageRecorderOptions;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  /** Rows written and flushes that failed since start (exported as metrics). */
  written = 0;
  failedFlushes = 0;

  constructor(options: UsageRecorderOptions) {
    this.#options = options;
    this.#buffer = new UsageBuffer(options.maxRows);
  }

  get dropped(): number {
    return this.#buffer.dropped;
  }

  get buffered(): number {
    return this.#buffer.size;
  }

  record(call: UsageCall): void {
    this.#buffer.add(call, Date.now());
  }

  start(): this {
    this.#timer = setInterval(() => void this.flush(), this.#options.flushIntervalMs);
    this.#timer.unref();
    return this;
  }

  /** Writes what was recorded since the last flush; flushes never overlap. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const rows = this.#buffer.take();
      if (rows.length === 0) return;
      try {
        this.written += await writeUsageEvents(this.#options.em.fork(), rows, this.#options.countryOf);
      } catch (error) {
        this.failedFlushes += 1;
        this.#buffer.restore(rows);
        this.#options.logger.warn({ err: (error as Error).message, rows: rows.length }, 'usage capture: could not write events; they are kept for the next flush');
      }
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
