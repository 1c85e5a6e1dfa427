import { LRUCache } from 'lru-cache';
import { LICENSE_CHANGED_CHANNEL, PLAN_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { Logger } from '../../lib/logger.ts';
import type { LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';
import type { ValidationCode } from '../../domain/licenses/validation-codes.ts';
import { ChangeListener } from './change-listener.ts';
import { LastKnownLicenses } from './last-known-licenses.ts';

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

export interface LicenseCacheOptions {
  url?: string;
  logger: Logger;
  max?: number;
  ttlMs?: number;
  /** VALIDATION_STALE_ON_ERROR_SECONDS, in ms: how long after it was last known fresh an entry may answer while Postgres is unreachable (default 300 s; 0: never). */
  staleOnErrorMs?: number;
  /** How long after losing its LISTEN connection the cache tries again, and again (default 1 s). */
  listenRetryMs?: number;
}

/**
 * Validation reads, cached per license key hash. Every license or activation change sends
 * NOTIFY on LICENSE_CHANGED_CHANNEL (in the writing transaction, so it arrives after commit);
 * each API replica LISTENs and drops that license. A plan edit (PLAN_CHANGED_CHANNEL) clears it. A fill that raced with an invalidation is
 * discarded, and while the LISTEN connection is down the cache is bypassed entirely.
 *
 * Bypassed, not forgotten: when the LISTEN connection is lost, the entries it kept fresh move
 * to a second generation, the last known state of each license, fresh until that moment; reads
 * made while it is down join them, fresh when read. `get` never returns them: only `lastKnown`
 * does, which validation asks only after Postgres itself failed to answer (then nothing can
 * change a license), and only within the stale window. A local change (this replica's
 * activation) retires its license's entry, by the same invalidation clock as fresh fills; a
 * plan edit or `clear()` retires them all; the LISTEN connection's return drops them, since
 * changes made while it was down were never heard.
 */
export class LicenseCache {
  readonly #entries: LRUCache<string, CachedLicense>;
  readonly #lastKnown: LastKnownLicenses;
  readonly #keyHashById = new Map<string, string>();
  /** Invalidation clock: each invalidation takes the next tick. */
  #clock = 0;
  readonly #invalidatedAt = new LRUCache<string, number>({ max: 200_000 });
  /** Fresh entries read before this tick are not kept (the cache was cleared, or LISTEN lost or regained). */
  #clearedAt = 0;
  /** Nothing read before this tick is kept or answered, fresh or last known (a plan edit, `clear()`). */
  #forgottenAt = 0;
  #listening = false;
  /** When the LISTEN connection was lost (epoch ms), until it is back. */
  #lostAt: number | undefined;
  #listener: ChangeListener | undefined;
  #hits = 0;
  #misses = 0;
  #staleAnswers = 0;
  /** Postgres reads under way, by key hash, with the clock tick each started at. */
  readonly #inFlight = new Map<string, { startedAt: number; read: Promise<CachedLicense | null> }>();

  readonly options: LicenseCacheOptions;

  constructor(options: LicenseCacheOptions) {
    this.options = options;
    this.#entries = new LRUCache({
      max: Math.max(1, options.max ?? 100_000),
      // A safety net only: invalidation is what keeps entries fresh.
      ttl: options.ttlMs ?? 60_000,
      dispose: (entry) => this.#keyHashById.delete(entry.snapshot.id),
    });
    this.#lastKnown = new LastKnownLicenses({ max: options.max ?? 100_000, windowMs: options.staleOnErrorMs ?? 300_000 });
  }

  /** A URL to LISTEN on and room for entries: otherwise nothing is ever kept. */
  get #configured(): boolean {
    return Boolean(this.options.url) && this.options.max !== 0;
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

  /** Validations answered from a last known entry because Postgres could not be read (validation counts them: `answeredStale`). */
  get staleAnswers(): number {
    return this.#staleAnswers;
  }

  answeredStale(): void {
    this.#staleAnswers += 1;
  }

  /** Without a URL, or with `max: 0`, the cache stays off and every read goes to Postgres. */
  async start(): Promise<void> {
    if (!this.#configured) return;
    this.#listener = new ChangeListener({
      url: this.options.url!,
      channels: [LICENSE_CHANGED_CHANNEL, PLAN_CHANGED_CHANNEL],
      notify: (channel, payload) => {
        if (channel === LICENSE_CHANGED_CHANNEL && payload) this.invalidate(payload);
        // Plan edits are rare and may touch any number of licenses: start afresh.
        else if (channel === PLAN_CHANGED_CHANNEL) this.clear();
      },
      up: () => this.#listenerUp(),
      down: (error) => this.#listenerDown(error),
      retryMs: this.options.listenRetryMs,
    });
    await this.#listener.start();
  }

  #listenerUp(): void {
    // Anything cached before LISTEN took effect may have missed a change, and so may every
    // last known entry: changes made while the connection was down were never heard.
    this.#dropFresh();
    this.#lastKnown.clear();
    this.#listening = true;
    if (this.#lostAt !== undefined) {
      this.options.logger.info({ down_seconds: Math.round((Date.now() - this.#lostAt) / 1000) }, 'validation cache: the LISTEN connection is back; caching again');
      this.#lostAt = undefined;
    }
  }

  /** Bypass the cache until LISTEN is back, keeping what it knew as each license's last known state. */
  #listenerDown(error?: Error): void {
    this.#listening = false;
    this.#keepLastKnown();
    this.#dropFresh();
    this.#lostAt = Date.now();
    this.options.logger.warn({ err: error?.message }, 'validation cache lost its LISTEN connection; bypassing the cache until it is back');
  }

  /** The fresh entries become the last known ones, fresh until now (every change up to now was heard). */
  #keepLastKnown(): void {
    const now = Date.now();
    // Least recently used first, so the most used stay should the generation be full.
    this.#entries.rforEach((entry, keyHash) => this.#lastKnown.keep(keyHash, entry, now, this.#clock));
  }

  async close(): Promise<void> {
    this.#listening = false;
    await this.#listener?.close();
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

  /**
   * Keeps a license read from Postgres at tick `readAt`, unless it changed since: as a fresh
   * entry while LISTEN is up, as the license's last known state while it is down.
   */
  set(keyHash: string, entry: CachedLicense, readAt: number): void {
    if (!this.#configured || readAt < this.#forgottenAt) return;
    if ((this.#invalidatedAt.get(entry.snapshot.id) ?? -1) > readAt) return;
    if (!this.#listening) {
      this.#lastKnown.keep(keyHash, entry, Date.now(), readAt);
      return;
    }
    if (readAt < this.#clearedAt) return;
    this.#entries.set(keyHash, entry);
    this.#keyHashById.set(entry.snapshot.id, keyHash);
  }

  /**
   * The license's last known state, for an answer while Postgres cannot be read: kept when the
   * LISTEN connection was lost, or read since, and known fresh no longer than the stale window
   * ago. Never ask while Postgres answers: then its answer is the truth.
   */
  lastKnown(keyHash: string, nowMs = Date.now()): CachedLicense | undefined {
    return this.#lastKnown.find(keyHash, nowMs, (licenseId, readAt) => readAt < this.#forgottenAt || (this.#invalidatedAt.get(licenseId) ?? -1) > readAt);
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

  /** Forgets every license, fresh and last known (a plan edit may have changed any of them). */
  clear(): void {
    this.#dropFresh();
    this.#forgottenAt = this.#clock;
    this.#lastKnown.clear();
  }

  #dropFresh(): void {
    this.#clock += 1;
    this.#clearedAt = this.#clock;
    this.#entries.clear();
    this.#keyHashById.clear();
  }
}
