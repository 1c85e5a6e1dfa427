import type { EntityManager } from '@mikro-orm/postgresql';
import { Refusal } from '../refusal.ts';
import type { CachedLicenses } from '../seats/cached-licenses.ts';
import { deactivationAllowance } from '../seats/deactivation-allowance.ts';
import { isRejection, reject, withLockedLicense } from '../seats/locked-license.ts';
import { updateOverageWindow } from '../seats/overage-window.ts';
import { countSeatsInUse } from '../seats/seat-usage.ts';
import { findOwnedLicense } from './owned-license.ts';
import { customerActorKey, type CustomerActing } from './portal-deps.ts';

/**
 * "Free this seat": the customer deactivates one of their machines, through the same cap on
 * self-service deactivations as /v1/deactivate (one count for both), under the license's lock.
 * Answers how many frees are left this period.
 */
export async function freeCustomerSeat(deps: { em: EntityManager; cache: CachedLicenses }, acting: CustomerActing, licenseId: string, activationId: string, now = new Date()) {
  const owned = await findOwnedLicense(deps.em.fork(), acting.customer, licenseId);
  const actor = customerActorKey(acting.customer);
  const result = await withLockedLicense(deps, owned.keyHash, async (tx, license, audit) => {
    const [live] = await tx.execute<{ id: string; fingerprint: string; name: string | null }[]>(
      `select id, fingerprint, name from activation where id = ? and license_id = ? and deactivated_at is null`,
      [activationId, license.id],
    );
    if (!live) return reject('NOT_ACTIVATED', 'This machine is not using the license any more (it may have been freed already). Reload the page.');
    const allowance = await deactivationAllowance(tx, license.id, license.policy, now);
    if (allowance.left === 0) {
      return reject('DEACTIVATION_LIMIT_REACHED', `You have freed ${allowance.used} of the ${allowance.limit} seats your plan allows in ${allowance.periodDays} days. Contact the seller to move this seat.`);
    }
    await tx.execute(`update activation set deactivated_at = ?, deactivated_by = ? where id = ?`, [now, actor, live.id]);
    const seatsInUse = await countSeatsInUse(tx, license.id, license.policy.seatModel, now);
    await updateOverageWindow(tx, license, seatsInUse, now);
    audit({ action: 'activation.deactivated', actor, actorLabel: acting.customer.email, origin: acting.origin, before: { activation_id: live.id, fingerprint: live.fingerprint }, after: { seats_in_use: seatsInUse } });
    return { seatsInUse, freesLeft: allowance.left === null ? null : allowance.left - 1 };
  });
  if (isRejection(result)) {
    if (result.code === 'DEACTIVATION_LIMIT_REACHED') throw new Refusal('DEACTIVATION_LIMIT_REACHED', result.detail);
    throw new Refusal('ACTIVATION_NOT_FOUND', result.code === 'NOT_ACTIVATED' ? result.detail : 'This license changed while you were looking at it. Reload the page.');
  }
  return { seats_used: result.seatsInUse, frees_left: result.freesLeft };
}
