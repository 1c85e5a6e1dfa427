import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import { LICENSE_KEY_RESENT } from '../outbox/message-events.ts';
import type { MessageDeliveries } from '../outbox/queue-message.ts';
import { queueKeyEmail, type KeyEmailOutcome } from './queue-key-email.ts';
import type { KeyOperationActor } from './rotate-license-key.ts';

export const resendLicenseKeySchema = z.object({ reason: text().trim().min(1).max(1000).optional() }).strict();
export type ResendLicenseKeyInput = z.input<typeof resendLicenseKeySchema>;

/**
 * Sends the license's current key to its customer again (the key e-mail, `license_key_resent`),
 * audited with who asked. Refused, changing nothing, for a revoked license and for one the key
 * cannot be sent for: no customer e-mail, or no stored copy of the key (licenses imported
 * without one).
 */
export async function resendLicenseKey(
  deps: { em: EntityManager; deliveries?: MessageDeliveries },
  licenseId: string,
  input: ResendLicenseKeyInput,
  acting: KeyOperationActor,
): Promise<{ licenseId: string; keyHint: string; recipient: string; email: KeyEmailOutcome }> {
  const { reason } = resendLicenseKeySchema.parse(input);
  const em = deps.em.fork();
  const [license] = await em.execute<{ status: string; key_hint: string; has_copy: boolean; email: string | null }[]>(
    `select l.status, l.key_hint, l.key_ciphertext is not null as has_copy, c.email from license l left join customer c on c.id = l.customer_id where l.id = ?`,
    [licenseId],
  );
  if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
  if (license.status === 'REVOKED') throw new DomainError('LICENSE_ALREADY_REVOKED', `license ${licenseId} is revoked: its key no longer works, so it is not sent`);
  if (!license.email) throw new DomainError('KEY_EMAIL_UNAVAILABLE', `license ${licenseId} has no customer e-mail address to send its key to`);
  if (!license.has_copy) throw new DomainError('KEY_EMAIL_UNAVAILABLE', `license ${licenseId} keeps no copy of its key to send; rotate the key to issue a new one`);
  const email = await queueKeyEmail(deps, licenseId, LICENSE_KEY_RESENT, { key_hint: license.key_hint });
  await recordAuditEvent(em, {
    actor: acting.actor,
    action: 'license.key_resent',
    target: { type: 'license', id: licenseId },
    reason: reason ?? null,
    after: { key_hint: license.key_hint, recipient: license.email, outbox_id: email.queued ? email.outboxId : null },
    origin: acting.origin,
    licenseId,
  });
  return { licenseId, keyHint: license.key_hint, recipient: license.email, email };
}
