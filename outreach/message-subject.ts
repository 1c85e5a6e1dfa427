import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import { License } from '../schema/entities.ts';
import type { LicenseEntity } from '../schema/license/license.entity.ts';
import { effectivePolicy } from '../schema/plan/plan-policy.ts';
import { planPolicy } from '../schema/plan/plan.entity.ts';

/** What a message is about: the license as it is now, its plan, product and customer. */
export interface MessageSubject {
  license: LicenseEntity;
  licenseId: string;
  keyHint: string;
  status: string;
  planCode: string;
  planName: string;
  tier: string;
  productCode: string;
  productName: string;
  seats: number | null;
  expiresAt: string | null;
  trialEndsAt: string | null;
  customer: { id: string; email: string; name: string | null; hubspotContactId: string | null; hubspotCompanyId: string | null } | null;
  renewalUrl: string;
}

const unix = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);

export async function readMessageSubject(em: EntityManager, licenseId: string, outreach: OutreachConfig): Promise<MessageSubject | null> {
  const license = await em.findOne(License, { id: licenseId }, { populate: ['plan', 'plan.product', 'customer'] });
  if (!license) return null;
  const plan = license.plan;
  const customer = license.customer ?? null;
  const renewalUrl = outreach.renewalUrlTemplate
    .replaceAll('{license_id}', encodeURIComponent(license.id))
    .replaceAll('{customer_id}', encodeURIComponent(customer?.id ?? ''));
  return {
    license,
    licenseId: license.id,
    keyHint: license.keyHint,
    status: license.status,
    planCode: plan.code,
    planName: plan.name,
    tier: plan.tier,
    productCode: plan.product.code,
    productName: plan.product.name,
    seats: effectivePolicy(planPolicy(plan), license.overrides).seatLimit,
    expiresAt: license.expiresAt?.toISOString() ?? null,
    trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
    customer: customer
      ? { id: customer.id, email: customer.email, name: customer.name ?? null, hubspotContactId: customer.hubspotContactId ?? null, hubspotCompanyId: customer.hubspotCompanyId ?? null }
      : null,
    renewalUrl,
  };
}

/** Customer.io person attributes: the license's terms (dates as Unix seconds, as Customer.io expects). */
export function customerAttributes(subject: MessageSubject): Record<string, unknown> {
  return {
    email: subject.customer?.email,
    ...(subject.customer?.name ? { name: subject.customer.name } : {}),
    license_id: subject.licenseId,
    product: subject.productCode,
    plan: subject.planCode,
    status: subject.status,
    expires_at: unix(subject.expiresAt),
    seats: subject.seats,
  };
}

/** What an email template needs besides the event's own data: customer, plan, expiry, renewal link. */
export function templateData(subject: MessageSubject, payload: Record<string, unknown>): Record<string, unknown> {
  return {
    ...payload,
    license_id: subject.licenseId,
    key_hint: subject.keyHint,
    status: subject.status,
    customer: { id: subject.customer?.id ?? null, email: subject.customer?.email ?? null, name: subject.customer?.name ?? null },
    product: { code: subject.productCode, name: subject.productName },
    plan: { code: subject.planCode, name: subject.planName, tier: subject.tier, seats: subject.seats },
    expires_at: subject.expiresAt,
    trial_ends_at: subject.trialEndsAt,
    renewal_url: subject.renewalUrl,
  };
}
