/** Outbox events more than one component names (queued here, delivered by outreach/). */
export const LICENSE_ISSUED = 'license_issued';
export const RENEWAL_TASK = 'renewal_task';
export const RENEWAL_TASK_UPDATE = 'renewal_task_update';
/** The license's new key after a rotation (domain/licenses/rotate-license-key.ts). */
export const LICENSE_KEY_ROTATED = 'license_key_rotated';
/** The license's key sent again on request (domain/licenses/resend-license-key.ts). */
export const LICENSE_KEY_RESENT = 'license_key_resent';

/**
 * The events whose e-mail carries the license's current key: the transactional message
 * (CUSTOMERIO_LICENSE_ISSUED_MESSAGE_ID), with `key_event` telling the template which it is.
 * Delivery reads the key from the license's encrypted copy; no payload ever holds it.
 */
export const KEY_EMAIL_EVENTS: ReadonlySet<string> = new Set([LICENSE_ISSUED, LICENSE_KEY_ROTATED, LICENSE_KEY_RESENT]);
