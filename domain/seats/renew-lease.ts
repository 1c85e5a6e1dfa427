import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { clientNonce } from './client-nonce.ts';
import { reject, withLockedLicense, type ActivationDeps } from './locked-license.ts';
import { evaluateStanding } from '../licenses/evaluate-license.ts';
import { findLiveActivation } from './seat-usage.ts';

export const heartbeatRequestSchema = z.object({ key: text().trim().min(1).max(200), fingerprint: text().trim().min(1).max(255), nonce: clientNonce }).strict();
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

/**
 * Heartbeat: renews a concurrent lease (and marks any activation as seen). A lease that has
 * already lapsed lost its seat: the client must activate again.
 */
export async function renewLease(deps: ActivationDeps, request: HeartbeatRequest, keyHash: string, now = new Date()) {
  return withLockedLicense(deps, keyHash, async (tx, license, audit) => {
    const standing = evaluateStanding(license, now);
    if (standing) return reject(standing.code as 'REVOKED', standing.detail);
    const live = await findLiveActivation(tx, license.id, request.fingerprint);
    if (!live) return reject('NOT_ACTIVATED', 'This device is not activated for this license. Activate it first.');
    if (license.policy.seatModel !== 'CONCURRENT') {
      await tx.execute(`update activation set last_seen_at = ? where id = ?`, [now, live.id]);
      return { activationId: live.id, leaseExpiresAt: null as Date | null };
    }
    if (live.leaseExpiresAt && live.leaseExpiresAt <= now) {
      await tx.execute(`update activation set deactivated_at = ?, deactivated_by = 'lease-expired' where id = ?`, [now, live.id]);
      audit({ action: 'activation.lease_expired', actor: 'client', before: { activation_id: live.id, fingerprint: live.fingerprint } });
      return reject('HEARTBEAT_DEAD', 'This session missed its heartbeat and lost its seat. Activate again to take a free seat.');
    }
    const leaseExpiresAt = new Date(now.getTime() + license.policy.leaseSeconds * 1000);
    await tx.execute(`update activation set last_seen_at = ?, lease_expires_at = ? where id = ?`, [now, leaseExpiresAt, live.id]);
    return { activationId: live.id, leaseExpiresAt };
  });
}
