import { KEY_EMAIL_EVENTS, LICENSE_ISSUED } from '../domain/outbox/message-events.ts';
import type { OutboxMessageEntity } from '../schema/outbox/outbox-message.entity.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import { licenseKeyContext } from '../lib/issued-license-key.ts';
import type { CustomerIoGateway } from './customerio-gateway.ts';
import { messageEventId } from './event-ulid.ts';
import { customerAttributes, templateData, type MessageSubject } from './message-subject.ts';

/** The outcome of a send: the provider's id for it, or why it was not sent. */
/** `failed`: it cannot be sent as it stands (FAILED); otherwise it is deliberately not sent (NOT_SENT). */
export type SendOutcome = { sent: true; providerMessageId: string } | { sent: false; reason: string; failed?: boolean };

export { LICENSE_ISSUED };

/**
 * Delivers a Customer.io message: identifies the customer with the license's terms, then
 * either sends the license key (transactional email) or tracks the lifecycle event under an id
 * derived from the outbox row, which Customer.io deduplicates.
 */
export async function deliverCustomerIo(
  gateway: CustomerIoGateway,
  message: OutboxMessageEntity,
  subject: MessageSubject,
  secret: ServerSecret | undefined,
  /** A renewal reminder's usage and renewal value (renewal-signals.ts), added to its template data. */
  signals?: Record<string, unknown>,
): Promise<SendOutcome> {
  const customer = subject.customer;
  if (!customer) return { sent: false, failed: true, reason: 'the license has no customer to write to' };
  // A new license, a rotated key, a key sent again: the same transactional e-mail with the key.
  const issued = KEY_EMAIL_EVENTS.has(message.event);
  if (issued ? !gateway.sendsLicenseKeys : !gateway.tracks) {
    const needs = issued ? 'CUSTOMERIO_APP_API_KEY and CUSTOMERIO_LICENSE_ISSUED_MESSAGE_ID' : 'CUSTOMERIO_SITE_ID and CUSTOMERIO_TRACK_API_KEY';
    return { sent: false, reason: `Customer.io is not configured (${needs}); recorded only` };
  }
  if (gateway.tracks) await gateway.identify(customer.id, customerAttributes(subject));
  const data = { ...templateData(subject, message.payload), ...signals };
  if (issued) {
    // The key is read from its encrypted copy here, at delivery: never from workflow history or the outbox.
    const ciphertext = subject.license.keyCiphertext;
    if (!ciphertext || !secret) return { sent: false, failed: true, reason: 'no stored copy of the key (or no server secret) to send' };
    const key = secret.decrypt(ciphertext, licenseKeyContext(subject.licenseId));
    const deliveryId = await gateway.sendLicenseKey({ to: customer.email, customerId: customer.id, messageData: { ...data, license_key: key } });
    return { sent: true, providerMessageId: deliveryId };
  }
  const id = messageEventId(message.id, message.createdAt);
  await gateway.track(customer.id, { name: message.event, id, timestamp: Math.floor(message.createdAt.getTime() / 1000), data });
  return { sent: true, providerMessageId: id };
}
