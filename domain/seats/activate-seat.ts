import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import type { ActivationKind } from '../../schema/activation/activation.entity.ts';
import type { SeatModel } from '../../schema/plan/plan-policy.ts';
import { evaluateLocks, evaluateStanding } from '../licenses/evaluate-license.ts';
import type { HotPathDb } from '../../lib/hot-path-db.ts';
import type { CachedLicenses } from './cached-licenses.ts';
import { readSnapshot, type LicenseSnapshot } from '../licenses/license-snapshot.ts';
import type { ActivationBatcher } from './activation-batch.ts';
import { clientNonce } from './client-nonce.ts';
import { reject, type Rejection } from './locked-license.ts';

const field = (max: number) => text().trim().min(1).max(max);
export const activateRequestSchema = z
  .object({
    key: field(200),
    fingerprint: field(255),
    name: field(255).optional(),
    hostname: field(255).optional(),
    platform: field(100).optional(),
    domain: field(255).optional(),
    user: field(255).optional(),
    nonce: clientNonce,
  })
  .strict();
export type ActivateRequest = z.infer<typeof activateRequestSchema>;

const KIND: Record<SeatModel, ActivationKind> = { DEVICE: 'MACHINE', NAMED_USER: 'USER', CONCURRENT: 'LEASE' };

export interface ActivationResult {
  created: boolean;
  activation: Record<string, unknown>;
  seatsInUse: number;
  license: LicenseSnapshot;
}

export interface ActivateDeps {
  db: HotPathDb;
  batcher: ActivationBatcher;
  cache: CachedLicenses;
  /** Snapshots activations were last judged on, by key hash: keywarden_hot_path.activate() re-checks them under the lock. */
  snapshots: LRUCache<string, LicenseSnapshot>;
}

export const activationSnapshots = () => new LRUCache<string, LicenseSnapshot>({ max: 10_000 });

/** A license (or plan) that keeps changing between the read and the lock: give up after this many reads. */
const MAX_ATTEMPTS = 8;

/** What refuses an activation before seats are looked at: standing, domain/IP locks, a missing user. */
function refusal(license: LicenseSnapshot, request: ActivateRequest, ip: string | undefined, now: Date): Rejection | null {
  const standing = evaluateStanding(license, now);
  if (standing) return reject(standing.code as 'EXPIRED', standing.detail);
  const locked = evaluateLocks(license, { domain: request.domain, ip });
  if (locked) return reject(locked.code as 'DOMAIN_MISMATCH', locked.detail);
  if (license.policy.seatModel === 'NAMED_USER' && !request.user) return reject('USER_REQUIRED', 'This license counts named users: send the user activating it.');
  return null;
}

function seatLimitReached(license: LicenseSnapshot, seatsInUse: number): Rejection {
  const { seatModel, seatLimit } = license.policy;
  const noun = seatModel === 'NAMED_USER' ? 'users' : seatModel === 'CONCURRENT' ? 'concurrent sessions' : 'activations';
  return reject('SEAT_LIMIT_EXCEEDED', `seat limit reached: ${seatsInUse} of ${seatLimit} ${noun}. Deactivate one to free a seat.`);
}

async function activateOnSnapshot(batcher: ActivationBatcher, license: LicenseSnapshot, request: ActivateRequest, ip: string | undefined, keyHash: string, now: Date) {
  const { seatModel, seatLimit, overageSeats, overageDays, leaseSeconds } = license.policy;
  const leaseExpiresAt = seatModel === 'CONCURRENT' ? new Date(now.getTime() + leaseSeconds * 1000) : null;
  const outcome = await batcher.activate({
    key_hash: keyHash,
    state: license.stateHash,
    fingerprint: request.fingerprint,
    kind: KIND[seatModel],
    name: request.name ?? null,
    hostname: request.hostname ?? null,
    platform: request.platform ?? null,
    ip: ip ?? null,
    domain: request.domain ?? null,
    user: request.user ?? null,
    now: now.toISOString(),
    lease_expires_at: leaseExpiresAt?.toISOString() ?? null,
    seat_model: seatModel,
    seat_limit: seatLimit,
    overage_seats: overageSeats,
    overage_days: overageDays,
    activation_id: randomUUID(),
    audit_id: randomUUID(),
  });
  return { outcome, leaseExpiresAt };
}

/**
 * Activates a fingerprint: idempotent for one already active, and race-free on seats. Standing
 * and locks are judged here on a snapshot (one remembered from an earlier call, or read now);
 * keywarden_hot_path.activate() then locks the license row, checks that snapshot still describes it
 * (else it is read again), and counts seats and writes the activation under that lock, in one
 * statement. A refusal is only ever given on a snapshot read during this call.
 */
export async function activateSeat(deps: ActivateDeps, request: ActivateRequest, ip: string | undefined, keyHash: string, now = new Date()): Promise<ActivationResult | Rejection> {
  let license = deps.snapshots.get(keyHash) ?? deps.cache.get(keyHash)?.snapshot;
  let fresh = false;
  let licenseId: string | undefined;
  const notFound = () => {
    deps.snapshots.delete(keyHash);
    return reject('NOT_FOUND', 'No license matches this key. Check it for typos, or contact the seller.');
  };
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (!license?.stateHash) {
        license = (await readSnapshot(deps.db, keyHash)) ?? undefined;
        fresh = true;
        if (!license) return notFound();
      }
      const refused = refusal(license, request, ip, now);
      if (refused && fresh) {
        licenseId = license.id;
        return refused;
      }
      if (refused) {
        license = undefined;
        continue;
      }
      const { outcome, leaseExpiresAt } = await activateOnSnapshot(deps.batcher, license, request, ip, keyHash, now);
      licenseId = outcome.o_license_id ?? undefined;
      if (outcome.o_outcome === 'NOT_FOUND') return notFound();
      if (outcome.o_outcome === 'STALE') {
        deps.snapshots.delete(keyHash);
        license = undefined;
        continue;
      }
      deps.snapshots.set(keyHash, license);
      if (outcome.o_outcome === 'SEAT_LIMIT') return seatLimitReached(license, outcome.o_seats ?? 0);
      return {
        created: outcome.o_outcome === 'CREATED',
        activation: { id: outcome.o_activation_id, fingerprint: request.fingerprint, lease_expires_at: leaseExpiresAt?.toISOString() ?? null },
        seatsInUse: outcome.o_seats ?? 0,
        license,
      };
    }
    throw new Error('the license kept changing while it was being activated; try again');
  } finally {
    // As after any write under the license's lock: this replica's cached copy goes now, the others' on NOTIFY.
    if (licenseId) deps.cache.invalidate(licenseId);
  }
}
