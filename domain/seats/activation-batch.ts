import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import type { HotPathDb, PreparedQuery } from '../../lib/hot-path-db.ts';

/** One activation for keywarden_hot_path.activate() (schema/migrations/Migration20261122030000_hot_path.ts). */
export interface ActivationItem {
  key_hash: string;
  /** The state digest of the snapshot the activation was judged on. */
  state: string | undefined;
  fingerprint: string;
  kind: string;
  name: string | null;
  hostname: string | null;
  platform: string | null;
  ip: string | null;
  domain: string | null;
  user: string | null;
  now: string;
  lease_expires_at: string | null;
  seat_model: string;
  seat_limit: number | null;
  overage_seats: number;
  overage_days: number;
  activation_id: string;
  audit_id: string;
}

export interface ActivationOutcome {
  o_outcome: 'NOT_FOUND' | 'STALE' | 'EXISTING' | 'SEAT_LIMIT' | 'CREATED';
  o_license_id: string | null;
  o_activation_id: string | null;
  o_seats: number | null;
}

interface Pending {
  item: ActivationItem;
  resolve(outcome: ActivationOutcome): void;
  reject(error: unknown): void;
}

const ACTIVATE_BATCH: PreparedQuery = {
  name: 'kw_activate_batch',
  text: `select o_index, o_outcome, o_license_id, o_activation_id, o_seats from keywarden_hot_path.activate_batch($1, $2)`,
};

/**
 * Sends activations to Postgres in batches: one arriving while `maxInFlight` batches are
 * running waits and goes with the others that arrived meanwhile, in one statement and one
 * transaction (one commit, one NOTIFY lock, one round trip). A lone activation goes at once.
 * Each keeps its own outcome; should a batch fail, its activations are retried one by one, so
 * one bad request never fails the others (unless Postgres is unreachable: then all fail at once).
 */
export class ActivationBatcher {
  readonly #db: HotPathDb;
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #inFlight = 0;

  constructor(db: HotPathDb, options: { maxInFlight?: number; maxBatch?: number } = {}) {
    this.#db = db;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxBatch = options.maxBatch ?? 32;
  }

  activate(item: ActivationItem): Promise<ActivationOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump() {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
      this.#queue = batch === this.#queue ? [] : this.#queue.slice(this.#maxBatch);
      this.#inFlight += 1;
      void this.#send(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    let rows: (ActivationOutcome & { o_index: number })[];
    try {
      rows = await this.#run(batch);
    } catch (error) {
      // An unreachable Postgres fails each of them alike: retrying them one by one would only
      // hold every request of the batch for as many more failed connection attempts.
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      for (const pending of batch) await this.#send([pending]);
      return;
    }
    for (const row of rows) batch[row.o_index]?.resolve(row);
    // Every item answers with exactly one row; should one not, its caller must not hang.
    for (const pending of batch) pending.reject(new Error('activation batch returned no outcome for an activation'));
  }

  #run(batch: Pending[]) {
    return this.#db.rows<ActivationOutcome & { o_index: number }>(ACTIVATE_BATCH, [JSON.stringify(batch.map((pending) => pending.item)), LICENSE_CHANGED_CHANNEL]);
  }
}
