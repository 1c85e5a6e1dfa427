import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseStatus } from '../../schema/license/license-status.ts';
import { deactivationAllowance } from '../seats/deactivation-allowance.ts';
import { countSeatsInUse } from '../seats/seat-usage.ts';
import { licenseFileAllowance } from './license-file-allowance.ts';
import { findOwnedLicense, listOwnedLicenses, type OwnedLicense } from './owned-license.ts';
import type { PortalCustomer } from './portal-deps.ts';
import { renewalKind, type RenewalSettings } from './open-renewal.ts';

/** A status as a customer reads it: a word, and a sentence saying what it means for them. */
const STATUS_WORDS: Record<LicenseStatus, { label: string; explanation: string }> = {
  TRIALING: { label: 'Trial', explanation: 'You are trying the product. Buy a plan before the trial ends to keep using it.' },
  ACTIVE: { label: 'Active', explanation: 'Your license is in good standing.' },
  PAST_DUE: { label: 'Payment overdue', explanation: 'Your last payment did not go through. Update your payment details to keep using the product.' },
  SUSPENDED: { label: 'Suspended', explanation: 'The license is paused: the product stops working until the license is reinstated.' },
  EXPIRED: { label: 'Expired', explanation: 'The license term has ended. Renew it to use the product again.' },
  REVOKED: { label: 'Revoked', explanation: 'This license was cancelled and can no longer be used.' },
};

/**
 * The customer's view of a license: product, plan, status in plain words, dates, seats and
 * features. Never a staff-only field (notes, Stripe ids, internal reasons, audit actors).
 */
async function summary(em: EntityManager, license: OwnedLicense, now: Date) {
  return {
    id: license.id,
    product: license.productName,
    plan: license.planName,
    status: license.status,
    status_label: STATUS_WORDS[license.status].label,
    status_explanation: STATUS_WORDS[license.status].explanation,
    key_hint: license.keyHint,
    expires_at: license.expiresAt?.toISOString() ?? null,
    trial_ends_at: license.trialEndsAt?.toISOString() ?? null,
    renews_automatically: license.soldThroughStripe && license.status !== 'REVOKED',
    seats_used: await countSeatsInUse(em, license.id, license.policy.seatModel, now),
    seat_limit: license.policy.seatLimit,
    seat_model: license.policy.seatModel,
    features: license.policy.features,
    created_at: license.createdAt.toISOString(),
  };
}

export async function listCustomerLicenses(em: EntityManager, customer: PortalCustomer, now = new Date()) {
  const fork = em.fork();
  const licenses = await listOwnedLicenses(fork, customer);
  return { data: await Promise.all(licenses.map((license) => summary(fork, license, now))) };
}

/** One license with its machines, what the customer may still do this period, and how to renew. */
export async function getCustomerLicense(em: EntityManager, renewal: RenewalSettings, customer: PortalCustomer, licenseId: string, now = new Date()) {
  const fork = em.fork();
  const license = await findOwnedLicense(fork, customer, licenseId);
  const [machines, frees, files] = await Promise.all([
    fork.execute<Record<string, any>[]>(
      `select id, name, hostname, platform, first_seen_at, last_seen_at from activation where license_id = ? and deactivated_at is null order by last_seen_at desc, id limit 500`,
      [license.id],
    ),
    deactivationAllowance(fork, license.id, license.policy, now),
    licenseFileAllowance(fork, license.id, license.policy, now),
  ]);
  return {
    ...(await summary(fork, license, now)),
    key_available: license.hasStoredKey,
    machines: machines.map((row) => ({
      id: row.id as string,
      name: (row.name as string | null) ?? null,
      hostname: (row.hostname as string | null) ?? null,
      platform: (row.platform as string | null) ?? null,
      first_seen_at: new Date(row.first_seen_at).toISOString(),
      last_seen_at: new Date(row.last_seen_at).toISOString(),
    })),
    seat_frees: { limit: frees.limit, used: frees.used, left: frees.left, period_days: frees.periodDays },
    license_files: { limit: files.limit, used: files.used, left: files.left, period_days: files.periodDays },
    renewal: renewalKind(renewal, license),
  };
}
