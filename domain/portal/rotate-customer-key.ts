import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { DomainError } from '../domain-error.ts';
import { rotateLicenseKey, type RotateLicenseKeyDeps } from '../licenses/rotate-license-key.ts';
import { Refusal } from '../refusal.ts';
import { findOwnedLicense } from './owned-license.ts';
import { customerActor, customerActorKey, type CustomerActing } from './portal-deps.ts';

export const customerKeyRotationSchema = z
  .object({ reason: text().trim().max(500, 'at most 500 characters').optional().describe('Why (optional): kept in the seller\'s audit trail.') })
  .strict();

/**
 * "My key leaked": the customer replaces their license's key from the portal (same license,
 * new key). The old key stops at once (no overlap: the customer asked because it is not
 * safe), machines keep their seats, the new key is shown once here and e-mailed.
 */
export async function rotateCustomerKey(deps: RotateLicenseKeyDeps, acting: CustomerActing, licenseId: string, reason: string | undefined) {
  const license = await findOwnedLicense(deps.em.fork(), acting.customer, licenseId);
  try {
    const rotated = await rotateLicenseKey(
      deps,
      license.id,
      { reason: reason ? `by the customer in the portal: ${reason}` : 'by the customer in the portal', overlap_seconds: 0, notify: true },
      { actor: customerActor(acting.customer), label: customerActorKey(acting.customer), origin: acting.origin },
    );
    return { key: rotated.key, key_hint: rotated.keyHint, previous_key_hint: rotated.previousKeyHint, emailed: rotated.email.queued };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'LICENSE_ALREADY_REVOKED') throw new Refusal('LICENSE_ALREADY_REVOKED', 'This license was cancelled: its key cannot be replaced.');
    throw error;
  }
}
