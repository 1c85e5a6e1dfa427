import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ActivationKind } from '../../schema/activation/activation.entity.ts';
import type { SeatModel } from '../../schema/plan/plan-policy.ts';
import { evaluateLocks, evaluateStanding, overageTolerated } from '../validation/evaluate-license.ts';
import type { LicenseSnapshot } from '../validation/license-snapshot.ts';
import { reject, withLockedLicense, type ActivationDeps } from './locked-license.ts';
import { updateOverageWindow } from './overage-window.ts';
import { countSeatsInUse, findLiveActivation, userHoldsSeat } from './seat-usage.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
export const activateRequestSchema = z
  .object({
    key: text(200),
    fingerprint: text(255),
    name: text(255).optional(),
    hostname: text(255).optional(),
    platform: text(100).optional(),
    domain: text(255).optional(),
    user: text(255).optional(),
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

/**
 * Activates a fingerprint: idempotent for one already active, and race-free on seats: the
 * license row is locked while seats are counted and the activation is written.
 */
export async function activateLicense(deps: ActivationDeps, request: ActivateRequest, ip: string | undefined, now = new Date()) {
  return withLockedLicense<ActivationResult>(deps, request.key, async (tx, license, audit) => {
    const standing = evaluateStanding(license, now);
    if (standing) return reject(standing.code as 'EXPIRED', standing.detail);
    const locked = evaluateLocks(license, { domain: request.domain, ip });
    if (locked) return reject(locked.code as 'DOMAIN_MISMATCH', locked.detail);
    const { seatModel, seatLimit, leaseSeconds } = license.policy;
    if (seatModel === 'NAMED_USER' && !request.user) return reject('USER_REQUIRED', 'This license counts named users: send the user activating it.');

    const leaseExpiresAt = seatModel === 'CONCURRENT' ? new Date(now.getTime() + leaseSeconds * 1000) : null;
    const existing = await findLiveActivation(tx, license.id, request.fingerprint);
    const leaseLive = existing && (!existing.leaseExpiresAt || existing.leaseExpiresAt > now);
    if (existing && leaseLive) {
      await tx.execute(`update activation set last_seen_at = ?, lease_expires_at = coalesce(?, lease_expires_at), ip = coalesce(?, ip) where id = ?`, [now, leaseExpiresAt, ip ?? null, existing.id]);
      const seatsInUse = await countSeatsInUse(tx, license.id, seatModel, now);
      return { created: false, activation: { id: existing.id, fingerprint: existing.fingerprint, lease_expires_at: leaseExpiresAt?.toISOString() ?? null }, seatsInUse, license };
    }

    const seatsInUse = await countSeatsInUse(tx, license.id, seatModel, now);
    const takesSeat = !(seatModel === 'NAMED_USER' && (await userHoldsSeat(tx, license.id, request.user!)));
    const seatsAfter = seatsInUse + (takesSeat ? 1 : 0);
    if (seatLimit !== null && takesSeat && seatsAfter > seatLimit && !overageTolerated(license, seatsAfter, now)) {
      const noun = seatModel === 'NAMED_USER' ? 'users' : seatModel === 'CONCURRENT' ? 'concurrent sessions' : 'activations';
      return reject('SEAT_LIMIT_EXCEEDED', `seat limit reached: ${seatsInUse} of ${seatLimit} ${noun}. Deactivate one to free a seat.`);
    }
    // A lapsed lease of this fingerprint is closed and replaced by a fresh activation.
    if (existing) {
      await tx.execute(`update activation set deactivated_at = ?, deactivated_by = 'lease-expired' where id = ?`, [now, existing.id]);
    }
    const id = randomUUID();
    await tx.execute(
      `insert into activation (id, license_id, fingerprint, kind, name, hostname, platform, ip, domain, user_id, first_seen_at, last_seen_at, lease_expires_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, license.id, request.fingerprint, KIND[seatModel], request.name ?? null, request.hostname ?? null, request.platform ?? null,
        ip ?? null, request.domain ?? null, request.user ?? null, now, now, leaseExpiresAt],
    );
    await updateOverageWindow(tx, license, seatsAfter, now);
    audit({ action: 'activation.created', actor: 'client', after: { activation_id: id, fingerprint: request.fingerprint, seats_in_use: seatsAfter } });
    return { created: true, activation: { id, fingerprint: request.fingerprint, lease_expires_at: leaseExpiresAt?.toISOString() ?? null }, seatsInUse: seatsAfter, license };
  });
}

