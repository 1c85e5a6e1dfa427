import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { normalizeLicenseKey } from '../../lib/license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { countSeatsInUse, findLiveActivation, userHoldsSeat } from '../activations/seat-usage.ts';
import { evaluateLicense } from './evaluate-license.ts';
import type { CachedLicense, LicenseCache } from './license-cache.ts';
import { loadSnapshotByKeyHash, type LicenseSnapshot } from './license-snapshot.ts';

export const validateRequestSchema = z
  .object({
    key: z.string().trim().min(1).max(200),
    fingerprint: z.string().trim().min(1).max(255).optional(),
    domain: z.string().trim().min(1).max(255).optional(),
    user: z.string().trim().min(1).max(255).optional(),
    features: z.array(z.string().min(1).max(100)).max(100).optional(),
    nonce: z.string().min(1).max(200).optional(),
  })
  .strict();

export type ValidateRequest = z.infer<typeof validateRequestSchema>;

export interface ValidationDeps {
  em: EntityManager;
  secret: ServerSecret;
  cache: LicenseCache;
}

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

async function readLicense(deps: ValidationDeps, keyHash: string, now: Date): Promise<CachedLicense | null> {
  const cached = deps.cache.get(keyHash);
  if (cached) return cached;
  const readAt = deps.cache.tick();
  const snapshot = await loadSnapshotByKeyHash(deps.em, keyHash);
  if (!snapshot) return null;
  const entry: CachedLicense = {
    snapshot,
    seatsInUse: await countSeatsInUse(deps.em, snapshot.id, snapshot.policy.seatModel, now),
    activations: new Map(),
  };
  // Concurrent leases expire with time, not with a write: never serve their count from cache.
  if (snapshot.policy.seatModel !== 'CONCURRENT') deps.cache.set(keyHash, entry, readAt);
  return entry;
}

async function readActivation(deps: ValidationDeps, keyHash: string, entry: CachedLicense, fingerprint: string) {
  if (entry.activations.has(fingerprint)) return entry.activations.get(fingerprint)!;
  const readAt = deps.cache.tick();
  const live = await findLiveActivation(deps.em, entry.snapshot.id, fingerprint);
  const activation = live ? { leaseExpiresAt: live.leaseExpiresAt } : null;
  deps.cache.rememberActivation(keyHash, entry.snapshot.id, fingerprint, activation, readAt);
  return activation;
}

/** Validates a key from Postgres (through the cache): never waits on Temporal. */
export async function validateLicense(deps: ValidationDeps, request: ValidateRequest, ip: string | undefined, now = new Date()) {
  const keyHash = deps.secret.lookupHash(normalizeLicenseKey(request.key));
  const entry = await readLicense(deps, keyHash, now);
  let activation: { leaseExpiresAt: Date | null } | null | undefined;
  if (entry && request.fingerprint) activation = await readActivation(deps, keyHash, entry, request.fingerprint);
  else if (entry && request.user && entry.snapshot.policy.seatModel === 'NAMED_USER') {
    activation = (await userHoldsSeat(deps.em, entry.snapshot.id, request.user)) ? { leaseExpiresAt: null } : null;
  }
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
    keyHash,
    licenseId: entry?.snapshot.id,
    body: {
      ...verdict,
      license: entry ? clientLicenseView(entry.snapshot, entry.seatsInUse) : null,
      cache_ttl: entry ? (trial ? entry.snapshot.policy.trialCacheTtlSeconds : entry.snapshot.policy.cacheTtlSeconds) : 0,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      ts: now.toISOString(),
    },
  };
}
