import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { clientNonce } from '../../domain/seats/client-nonce.ts';
import { readLiveActivation, readSeatsInUse, readUserHoldsSeat } from '../../domain/seats/seat-usage.ts';
import { evaluateLicense, plainVerdictStableUntil } from '../../domain/licenses/evaluate-license.ts';
import type { HotPathDb } from '../../lib/hot-path-db.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import type { CachedLicense, LicenseCache, PlainAnswerMemo } from './license-cache.ts';
import { readSnapshotWithSeats, type LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';
import type { ValidationCode } from '../../domain/licenses/validation-codes.ts';
import { findRetiredKey, KEY_ROTATED_DETAIL, stillWorks } from '../../domain/licenses/find-retired-key.ts';

export const validateRequestSchema = z
  .object({
    key: text().trim().min(1).max(200),
    fingerprint: text().trim().min(1).max(255).optional(),
    domain: text().trim().min(1).max(255).optional(),
    user: text().trim().min(1).max(255).optional(),
    features: z.array(text().min(1).max(100)).max(100).optional(),
    nonce: clientNonce,
  })
  .strict();

export type ValidateRequest = z.infer<typeof validateRequestSchema>;

export interface ValidationDeps {
  cache: LicenseCache;
  db: HotPathDb;
}

/** The answer, as an object or (memoised) already as JSON; `code` is the answer's code either way (for the metrics). */
export type ValidationResult = { licenseId: string | undefined; code: ValidationCode } & (
  | { body: Record<string, unknown>; json?: undefined; memo?: undefined }
  /** `memo`: the memoised plain answer it came from, when the request sent no nonce (its signed form may be reused). */
  | { json: string; body?: undefined; memo?: PlainAnswerMemo }
);

/** What the client software sees of its license. */
export function clientLicenseView(license: LicenseSnapshot, seatsInUse: number) {
  return {
    id: license.id,
    status: license.status,
    plan: license.planCode,
    product: license.productCode,
    tier: license.tier,
    features: license.policy.features,
    seat_model: license.policy.seatModel,
    seat_limit: license.policy.seatLimit,
    current_activations: seatsInUse,
    expires_at: license.expiresAt?.toISOString() ?? null,
    trial_ends_at: license.trialEndsAt?.toISOString() ?? null,
  };
}

/** The license behind a key hash, from Postgres (one read shared by simultaneous requests), cached. */
function readLicense(deps: ValidationDeps, keyHash: string, now: Date): Promise<CachedLicense | null> {
  return deps.cache.coalesce(keyHash, () => readLicenseOnce(deps, keyHash, now));
}

async function readLicenseOnce(deps: ValidationDeps, keyHash: string, now: Date): Promise<CachedLicense | null> {
  const readAt = deps.cache.tick();
  const read = await readSnapshotWithSeats(deps.db, keyHash, now);
  if (!read) return null;
  const { snapshot } = read;
  const entry: CachedLicense = {
    snapshot,
    seatsInUse: read.seatsInUse ?? (await readSeatsInUse(deps.db, snapshot.id, snapshot.policy.seatModel, now)),
    activations: new Map(),
  };
  // Concurrent leases expire with time, not with a write: never serve their count from cache.
  if (snapshot.policy.seatModel !== 'CONCURRENT') deps.cache.set(keyHash, entry, readAt);
  return entry;
}

async function readActivation(deps: ValidationDeps, keyHash: string, entry: CachedLicense, fingerprint: string) {
  const readAt = deps.cache.tick();
  const live = await readLiveActivation(deps.db, entry.snapshot.id, fingerprint);
  const activation = live ? { leaseExpiresAt: live.leaseExpiresAt } : null;
  deps.cache.rememberActivation(keyHash, entry.snapshot.id, fingerprint, activation, readAt);
  return activation;
}

type SeatHolding = { leaseExpiresAt: Date | null } | null | undefined;
/** Marks a seat question the cached entry cannot answer: Postgres has to. */
const LOOK_UP = Symbol('look up');

/** What the entry already knows about the request's fingerprint (or user), if that is enough. */
function knownHolding(entry: CachedLicense, request: ValidateRequest): SeatHolding | typeof LOOK_UP {
  if (request.fingerprint) return entry.activations.has(request.fingerprint) ? entry.activations.get(request.fingerprint) : LOOK_UP;
  if (request.user && entry.snapshot.policy.seatModel === 'NAMED_USER') return LOOK_UP;
  return undefined;
}

/** The verdict and what the client sees of its license: the answer without `nonce` and `ts`. */
function verdictBody(entry: CachedLicense | null, request: ValidateRequest, ip: string | undefined, now: Date, activation: SeatHolding) {
  const verdict = evaluateLicense(entry?.snapshot ?? null, {
    now,
    domain: request.domain,
    ip,
    features: request.features,
    activation,
    seatsInUse: entry?.seatsInUse,
  });
  const trial = entry?.snapshot.status === 'TRIALING';
  return {
    ...verdict,
    license: entry ? clientLicenseView(entry.snapshot, entry.seatsInUse) : null,
    cache_ttl: entry ? (trial ? entry.snapshot.policy.trialCacheTtlSeconds : entry.snapshot.policy.cacheTtlSeconds) : 0,
  };
}

/**
 * What the verdict was decided on besides the key, echoed inside the signed body so a client can
 * tell that nobody changed its question on the way (as Keygen's `meta.scope`): only the fields
 * sent; none for a request with the key alone.
 */
export function validationScope(request: ValidateRequest): Record<string, unknown> | undefined {
  const { fingerprint, domain, user, features } = request;
  if (fingerprint === undefined && domain === undefined && user === undefined && features === undefined) return undefined;
  const scope: Record<string, unknown> = {};
  for (const [field, value] of Object.entries({ fingerprint, domain, user, features })) if (value !== undefined) scope[field] = value;
  return scope;
}

function answer(entry: CachedLicense | null, request: ValidateRequest, ip: string | undefined, now: Date, activation: SeatHolding): ValidationResult {
  const verdict = verdictBody(entry, request, ip, now, activation);
  const scope = validationScope(request);
  return {
    licenseId: entry?.snapshot.id,
    code: verdict.code,
    body: { ...verdict, ...(scope ? { scope } : {}), ...(request.nonce ? { nonce: request.nonce } : {}), ts: isoTimestamp(now) },
  };
}

let lastTimestamp = { ms: Number.NaN, iso: '' };
/** `now.toISOString()`, computed once per millisecond. */
function isoTimestamp(now: Date): string {
  const ms = now.getTime();
  if (ms !== lastTimestamp.ms) lastTimestamp = { ms, iso: now.toISOString() };
  return lastTimestamp.iso;
}

/** True when the answer depends on nothing but the license and `now` (the key alone was sent), so it can be memoised on the entry. */
function isPlain(entry: CachedLicense, request: ValidateRequest, activation: SeatHolding): boolean {
  return activation === undefined && validationScope(request) === undefined && !entry.snapshot.policy.allowedCidrs.length;
}

/**
 * The most common validation (a cached license, nothing sent but the key): its JSON is kept
 * on the cache entry until a date in the license could change it, and only `nonce` and `ts`
 * are added per request. The entry is dropped, memo and all, whenever the license changes.
 */
function plainAnswer(entry: CachedLicense, request: ValidateRequest, ip: string | undefined, now: Date): ValidationResult {
  let memo = entry.plainAnswer;
  if (!memo || now.getTime() >= memo.until) {
    const verdict = verdictBody(entry, request, ip, now, undefined);
    memo = entry.plainAnswer = { json: JSON.stringify(verdict).slice(0, -1), code: verdict.code, until: plainVerdictStableUntil(entry.snapshot, now) };
  }
  const nonce = request.nonce ? `,"nonce":${JSON.stringify(request.nonce)}` : '';
  return { licenseId: entry.snapshot.id, code: memo.code, json: `${memo.json}${nonce},"ts":"${isoTimestamp(now)}"}`, memo: request.nonce ? undefined : memo };
}

async function validateFromPostgres(deps: ValidationDeps, request: ValidateRequest, ip: string | undefined, keyHash: string, now: Date, cached: CachedLicense | undefined) {
  try {
    const entry = cached ?? (await readLicense(deps, keyHash, now));
    if (!entry) {
      const retired = await answerRetiredKey(deps, request, ip, keyHash, now);
      if (retired) return retired;
    }
    let activation: SeatHolding;
    if (entry && request.fingerprint) {
      activation = entry.activations.has(request.fingerprint) ? entry.activations.get(request.fingerprint) : await readActivation(deps, keyHash, entry, request.fingerprint);
    } else if (entry && request.user && entry.snapshot.policy.seatModel === 'NAMED_USER') {
      activation = (await readUserHoldsSeat(deps.db, entry.snapshot.id, request.user)) ? { leaseExpiresAt: null } : null;
    }
    return answer(entry, request, ip, now, activation);
  } catch (error) {
    // Postgres is unreachable, so nothing can change a license now: its last known state
    // answers (within the stale window), as a cache hit would. Anything else fails as it came.
    const stale = isDatabaseUnavailable(error) ? answerFromEntry(deps.cache.lastKnown(keyHash, now.getTime()), request, ip, now) : undefined;
    if (!stale) throw error;
    deps.cache.answeredStale();
    return stale;
  }
}

/**
 * A key no license has may be one a rotation retired: within its overlap window it answers as
 * the license's current key does (through the cache, under that key's hash); after it,
 * KEY_ROTATED, telling the software to ask its user for the new key. Neither is cached under
 * the old key, so a rotation (which drops the license from every replica) takes effect at once.
 */
async function answerRetiredKey(deps: ValidationDeps, request: ValidateRequest, ip: string | undefined, keyHash: string, now: Date): Promise<ValidationResult | undefined> {
  const retired = await findRetiredKey(deps.db, keyHash);
  if (!retired) return undefined;
  if (stillWorks(retired, now)) return validateLicense(deps, request, ip, retired.currentKeyHash, now);
  const scope = validationScope(request);
  // No license view: whoever holds a replaced key learns nothing more about the license.
  const body = { valid: false, code: 'KEY_ROTATED', detail: KEY_ROTATED_DETAIL, license: null, cache_ttl: 0, ...(scope ? { scope } : {}), ...(request.nonce ? { nonce: request.nonce } : {}), ts: isoTimestamp(now) };
  return { licenseId: retired.licenseId, code: 'KEY_ROTATED', body };
}

/** The answer an entry gives on its own, or undefined when the request asks what only Postgres knows (an activation not looked up yet). */
function answerFromEntry(entry: CachedLicense | undefined, request: ValidateRequest, ip: string | undefined, now: Date): ValidationResult | undefined {
  if (!entry) return undefined;
  const activation = knownHolding(entry, request);
  if (activation === LOOK_UP) return undefined;
  return isPlain(entry, request, activation) ? plainAnswer(entry, request, ip, now) : answer(entry, request, ip, now, activation);
}

/**
 * Validates a key (by its lookup hash) from Postgres, through the cache: never waits on
 * Temporal. A cache hit that needs no seat look-up is answered synchronously.
 */
export function validateLicense(deps: ValidationDeps, request: ValidateRequest, ip: string | undefined, keyHash: string, now = new Date()): ValidationResult | Promise<ValidationResult> {
  const cached = deps.cache.get(keyHash);
  return (cached && answerFromEntry(cached, request, ip, now)) || validateFromPostgres(deps, request, ip, keyHash, now, cached);
}
