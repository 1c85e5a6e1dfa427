import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Counts validations per license in memory (one Map increment on the hot path) and adds the
 * counts to license_validation_day in one statement every few seconds. A crash loses at most
 * one interval's counts; the day is the UTC day of the flush. A license's first flushed
 * validation also stamps `license.first_validated_at`.
 */
export class ValidationCounter {
  #counts = new Map<string, number>();
  readonly #em: EntityManager;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(em: EntityManager) {
    this.#em = em;
  }

  count(licenseId: string): void {
    this.#counts.set(licenseId, (this.#counts.get(licenseId) ?? 0) + 1);
  }

  start(intervalMs = 5_000): this {
    this.#timer = setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Writes what was counted since the last flush (licenses deleted meanwhile are skipped). */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#counts.size === 0) return;
      const counts = this.#counts;
      this.#counts = new Map();
      const rows = JSON.stringify([...counts].map(([license_id, count]) => ({ license_id, count })));
      try {
        // The same statement stamps a license's first validation (once: the time to first validation).
        await this.#em.fork().execute(
          `with counted as (
             insert into license_validation_day (license_id, day, count)
             select x.license_id, (now() at time zone 'utc')::date, x.count
               from jsonb_to_recordset(?::jsonb) as x(license_id uuid, count bigint) join license l on l.id = x.license_id
             on conflict (license_id, day) do update set count = license_validation_day.count + excluded.count
             returning license_id)
           update license set first_validated_at = now() where id in (select license_id from counted) and first_validated_at is null`,
          [rows],
        );
      } catch {
        // Put the counts back: the next flush tries again.
        for (const [id, n] of counts) this.#counts.set(id, (this.#counts.get(id) ?? 0) + n);
      }
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
