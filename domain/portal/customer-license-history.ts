import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwnedLicense } from './owned-license.ts';
import { customerActorKey, type PortalCustomer } from './portal-deps.ts';

/**
 * What happened to a license, as its customer reads it. Only events that mean something to
 * them, in their words; never who on the seller's side did it, nor internal reasons.
 */
const WORDS: Record<string, string> = {
  'license.created': 'License issued',
  'license.converted': 'Trial converted to a paid plan',
  'license.renewed': 'Renewed',
  'license.payment_recovered': 'Payment received',
  'license.past_due': 'Payment failed',
  'license.grace_started': 'Grace period started',
  'license.suspended': 'Suspended',
  'license.reinstated': 'Reinstated',
  'license.plan_changed': 'Plan changed',
  'license.plan_change_scheduled': 'Plan change scheduled',
  'license.cancellation_scheduled': 'Cancellation scheduled',
  'license.trial_extended': 'Trial extended',
  'license.trial_end_moved': 'Trial end date changed',
  'license.trial_expired': 'Trial ended',
  'license.expiry_set': 'End date changed',
  'license.expired': 'Expired',
  'license.revoked': 'Revoked',
  'license.key_rotated': 'Key replaced',
  'license.key_revealed': 'Key shown',
  'license.offline_token_issued': 'License file created',
  'activation.created': 'Machine activated',
  'activation.deactivated': 'Seat freed',
  'activation.lease_expired': 'Seat released (the machine stopped checking in)',
};

/** Events whose new end date the customer cares about (not a license file's own end). */
const MOVES_END = new Set(['license.renewed', 'license.converted', 'license.payment_recovered', 'license.expiry_set', 'license.trial_extended', 'license.trial_end_moved']);

const dateOf = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);

export async function customerLicenseHistory(em: EntityManager, customer: PortalCustomer, licenseId: string) {
  const fork = em.fork();
  const license = await findOwnedLicense(fork, customer, licenseId);
  const rows = await fork.execute<Record<string, any>[]>(
    `select id, action, actor, after, created_at from audit_event where license_id = ? and action in (${Object.keys(WORDS).map(() => '?').join(', ')})
      order by created_at desc, id desc limit 200`,
    [license.id, ...Object.keys(WORDS)],
  );
  const you = customerActorKey(customer);
  return {
    data: rows.map((row) => {
      const after = (row.after ?? {}) as Record<string, unknown>;
      return {
        id: row.id as string,
        at: new Date(row.created_at).toISOString(),
        event: row.action as string,
        summary: WORDS[row.action as string]!,
        // "You", or nobody: the seller's staff, tokens and jobs stay unnamed.
        by_you: row.actor === you,
        new_end_date: MOVES_END.has(row.action as string) ? dateOf(after.expiresAt ?? after.trialEndsAt) : null,
      };
    }),
  };
}
