import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

/** A query the hot path runs often: prepared once per connection, by name, then only bound. */
export interface PreparedQuery {
  name: string;
  text: string;
}

/**
 * The client hot path's access to Postgres: named prepared statements on a `pg.Pool`, with
 * parameters sent separately (MikroORM's `em.execute` inlines them and re-plans every query).
 * API servers give it a pool of its own; without one it borrows the ORM's pool, so an app
 * built from an EntityManager alone (as the tests build it) takes the same code path.
 */
export class HotPathDb {
  #pool: pg.Pool | undefined;
  readonly #resolve: (() => Promise<pg.Pool>) | undefined;
  readonly #owned: boolean;

  private constructor(pool: pg.Pool | (() => Promise<pg.Pool>), owned: boolean) {
    if (typeof pool === 'function') this.#resolve = pool;
    else this.#pool = pool;
    this.#owned = owned;
  }

  /**
   * A pool of its own, closed by `close()`. A request waits at most `connectTimeoutMs` for a
   * connection (a new one, or a busy pool's next free one): a server that accepts but never
   * answers, or a pool that cannot keep up, is then an outage answered 503, not a hung request.
   */
  static connect(options: { url: string; max?: number; connectTimeoutMs?: number }): HotPathDb {
    const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
    // An idle client dropped by the server is reported here; the pool has already discarded it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new HotPathDb(pool, true);
  }

  /** Borrows the ORM's pool (resolved on first use); `close()` leaves it to the ORM. */
  static fromEntityManager(em: EntityManager): HotPathDb {
    return new HotPathDb(() => em.getConnection().getNativeClient(), false);
  }

  async rows<R>(query: PreparedQuery, values: unknown[]): Promise<R[]> {
    const pool = this.#pool ?? (this.#pool = await this.#resolve!());
    const result = await pool.query<R & pg.QueryResultRow>({ name: query.name, text: query.text, values });
    return result.rows;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#pool?.end();
  }
}

/** Timestamps arrive as Dates from a plain pool and as strings from the ORM's (it keeps them raw). */
export const toDate = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));
