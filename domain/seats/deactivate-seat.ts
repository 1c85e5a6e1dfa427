import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { clientNonce } from './client-nonce.ts';
import { reject, withLockedLicense, type ActivationDeps } from './locked-license.ts';
import { updateOverageWindow } from './overage-window.ts';
import { deactivationAllowance } from './deactivation-allowance.ts';
import { countSeatsInUse, findLiveActivation } from './seat-usage.ts';

export const deactivateRequestSchema = z.object({ key: text().trim().min(1).max(200), fingerprint: text().trim().min(1).max(255), nonce: clientNonce }).strict();
export type DeactivateRequest = z.infer<typeof deactivateRequestSchema>;

/**
 * Self-service deactivation: frees the seat, within the plan's cap on deactivations per
 * period (which stops a handful of seats being cycled across a fleet).
 */
export async function deactivateSeat(deps: ActivationDeps, request: DeactivateRequest, keyHash: string, now = new Date()) {
  return withLockedLicense(deps, keyHash, async (tx, license, audit) => {
    const live = await findLiveActivation(tx, license.id, request.fingerprint);
    if (!live) return reject('NOT_ACTIVATED', 'This device is not activated for this license, so there is nothing to deactivate.');
    const allowance = await deactivationAllowance(tx, license.id, license.policy, now);
    if (allowance.left === 0) {
      return reject('DEACTIVATION_LIMIT_REACHED', `deactivation limit reached: ${allowance.used} of ${allowance.limit} in the last ${allowance.periodDays} days. Contact support to move this seat.`);
    }
    await tx.execute(`update activation set deactivated_at = ?, deactivated_by = 'self' where id = ?`, [now, live.id]);
    const seatsInUse = await countSeatsInUse(tx, license.id, license.policy.seatModel, now);
    await updateOverageWindow(tx, license, seatsInUse, now);
    audit({ action: 'activation.deactivated', actor: 'client', before: { activation_id: live.id, fingerprint: live.fingerprint }, after: { seats_in_use: seatsInUse } });
    return { activationId: live.id, seatsInUse, license };
  });
}
