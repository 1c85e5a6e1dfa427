import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { LICENSE_CHANGED_CHANNEL, PLAN_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { Logger } from '../../lib/logger.ts';
import type { LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';
import type { ValidationCode } from '../../domain/licenses/validation-codes.ts';

export interface CachedLicense {
  snapshot: LicenseSnapshot;
  seatsInUse: number;
  /** Live activations looked up so far, by fingerprint (null: known not to exist). */
  activations: Map<string, { leaseExpiresAt: Date | null } | null>;
  /** The answer to a request that sends only the key, as JSON without its closing `nonce`/`ts`, and until when it holds. */
  plainAnswer?: PlainAnswerMemo;
}

export interface PlainAnswerMemo {
  json: string;
  /** The answer's code, for the metrics (no JSON parsing per request). */
  code: ValidationCode;
  until: number;
  /** The whole answer without a nonce, signed (api/validation/sign-answer.ts) for the key digest `kwk`, reused briefly. */
  signed?: { kid: string; kwk: string; at: number; json: string; signature: string };
}

/**
 * Validation reads, cached per license key hash. Every license or activation change sends
 * NOTIFY on LICENSE_CHANGED_CHANNEL (in the writing transaction, so it arrives after commit);
 * each API replica LISTENs and drops that license. A plan edit (PLAN_CHANGED_CHANNEL) clears it. A fill that raced with an invalidation is
 * discarded, and while the LISTEN connection is down the cache is bypassed entirely.
 */
export class LicenseCache {
  readonly #entries: LRUCache<string, CachedLicense>;
  readonly #keyHashById = new Map<string, string>();
  /** Invalidation clock: each invalidation takes the next tick. */
  #clock = 0;
  readonly #invalidatedAt = new LRUCache<string, number>({ max: 200_000 });
  #clearedAt = 0;
  #listening = false;
  #client?: pg.Client;
  #closed = false;
  #retry?: NodeJS.Timeout;
  #hits = 0;
  #misses = 0;
  /** Postgres reads under way, by key hash, with the clock tick each started at. */
  readonly #inFlight = new Map<string, { startedAt: number; read: Promise<CachedLicense | null> }>();

  readonly options: { url?: string; logger: Logger; max?: number; ttlMs?: number };

  constructor(options: { url?: string; logger: Logger; max?: number; ttlMs?: number }) {
    this.options = options;
    this.#entries = new LRUCache({
      max: Math.max(1, options.max ?? 100_000),
      // A safety net only: invalidation is what keeps entries fresh.
      ttl: options.ttlMs ?? 60_000,
      dispose: (entry) => this.#keyHashById.delete(entry.snapshot.id),
    });
  }

  get enabled(): boolean {
    return this.#listening;
  }

  /** Licenses cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Look-ups that found the license, since start (only while the cache is on; for the metrics). */
  get hits(): number {
    return this.#hits;
  }

  /** Look-ups that did not (only while the cache is on). */
  get misses(): number {
    return this.#misses;
  }

  /** Without a URL, or with `max: 0`, the cache stays off and every read goes to Postgres. */
  async start(): Promise<void> {
    if (!this.options.url || this.options.max === 0) return;
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url });
    client.on('notification', (message) => {
      if (message.channel === LICENSE_CHANGED_CHANNEL && message.payload) this.invalidate(message.payload);
      // Plan edits are rare and may touch any number of licenses: start afresh.
      else if (message.channel === PLAN_CHANGED_CHANNEL) this.clear();
    });
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      this.#listening = false;
      this.#client = undefined;
      this.clear();
      if (this.#closed) return;
      this.options.logger.warn({ err: error?.message }, 'validation cache lost its LISTEN connection; bypassing the cache until it is back');
      this.#retry = setTimeout(() => void this.#connect().catch(() => lost()), 1000);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.#client = client;
    await client.connect();
    await client.query(`listen ${LICENSE_CHANGED_CHANNEL}`);
    await client.query(`listen ${PLAN_CHANGED_CHANNEL}`);
    // Anything cached before LISTEN took effect may have missed a change.
    this.clear();
    this.#listening = true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listening = false;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** A tick to pass to `set`, taken before reading Postgres. */
  tick(): number {
    return this.#clock;
  }

  get(keyHash: string): CachedLicense | undefined {
    if (!this.#listening) return undefined;
    const entry = this.#entries.get(keyHash);
    if (entry) this.#hits += 1;
    else this.#misses += 1;
    return entry;
  }

  set(keyHash: string, entry: CachedLicense, readAt: number): void {
    if (!this.#listening || readAt < this.#clearedAt) return;
    if ((this.#invalidatedAt.get(entry.snapshot.id) ?? -1) > readAt) return;
    this.#entries.set(keyHash, entry);
    this.#keyHashById.set(entry.snapshot.id, keyHash);
  }

  /** Adds a looked-up activation to a cached entry, unless the license changed since. */
  rememberActivation(keyHash: string, licenseId: string, fingerprint: string, activation: CachedLicense['activations'] extends Map<string, infer V> ? V : never, readAt: number): void {
    if ((this.#invalidatedAt.get(licenseId) ?? -1) > readAt || readAt < this.#clearedAt) return;
    // Not `get`: this is no look-up of its own (the hit/miss counts stay one per request).
    if (this.#listening) this.#entries.get(keyHash)?.activations.set(fingerprint, activation);
  }

  /**
   * One Postgres read for every validation of a key that arrives while a read of it is under
   * way (a popular key after an invalidation, a fleet starting at once). A request that joined
   * after the license changed (or the cache was cleared) does not take the shared result, which
   * may predate the change: it reads again. Unknown keys have no license id to check, so any
   * invalidation since the read started sends a joiner back. Off while the cache is off (no
   * LISTEN, so no way to know of a change).
   */
  async coalesce(keyHash: string, read: () => Promise<CachedLicense | null>): Promise<CachedLicense | null> {
    if (!this.#listening) return read();
    const flight = this.#inFlight.get(keyHash);
    if (flight) {
      const entry = await flight.read;
      return this.#changedSince(entry, flight.startedAt) ? read() : entry;
    }
    const started = { startedAt: this.#clock, read: read() };
    this.#inFlight.set(keyHash, started);
    try {
      return await started.read;
    } finally {
      if (this.#inFlight.get(keyHash) === started) this.#inFlight.delete(keyHash);
    }
  }

  #changedSince(entry: CachedLicense | null, tick: number): boolean {
    if (this.#clearedAt > tick) return true;
    return entry ? (this.#invalidatedAt.get(entry.snapshot.id) ?? -1) > tick : this.#clock > tick;
  }

  invalidate(licenseId: string): void {
    this.#clock += 1;
    this.#invalidatedAt.set(licenseId, this.#clock);
    const keyHash = this.#keyHashById.get(licenseId);
    if (keyHash) this.#entries.delete(keyHash);
  }

  clear(): void {
    this.#clock += 1;
    this.#clearedAt = this.#clock;
    this.#entries.clear();
    this.#keyHashById.clear();
  }
}
