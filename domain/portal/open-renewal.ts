import type Stripe from 'stripe';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { findOwnedLicense, type OwnedLicense } from './owned-license.ts';
import { customerActor, type CustomerActing } from './portal-deps.ts';

export interface RenewalSettings {
  /** Stripe, for licenses it sold; none: Stripe is not configured. */
  stripe?: Stripe;
  /** RENEWAL_URL_TEMPLATE (`{license_id}`, `{customer_id}`). */
  renewalUrlTemplate: string;
  publicUrl: string;
}

/**
 * How a license is renewed from the portal: Stripe's Billing Portal for a license Stripe sold
 * (its customer has a Stripe customer), else the seller's own renewal page (RENEWAL_URL_TEMPLATE),
 * else the customer contacts the seller. The default template is this portal's own /renew,
 * which leads back here: it counts as no seller page.
 */
export type RenewalKind = 'STRIPE_BILLING_PORTAL' | 'SELLER_PAGE' | 'CONTACT_SELLER';

const pointsAtPortal = (settings: RenewalSettings) => settings.renewalUrlTemplate.startsWith(`${settings.publicUrl.replace(/\/$/, '')}/renew`);

export function renewalKind(settings: RenewalSettings, license: Pick<OwnedLicense, 'soldThroughStripe' | 'stripeCustomerId'>): RenewalKind {
  if (license.soldThroughStripe && license.stripeCustomerId && settings.stripe) return 'STRIPE_BILLING_PORTAL';
  if (!pointsAtPortal(settings)) return 'SELLER_PAGE';
  return 'CONTACT_SELLER';
}

/** The address the customer's browser goes to, to renew or manage billing (audited). */
export async function openRenewal(deps: { em: EntityManager } & RenewalSettings, acting: CustomerActing, licenseId: string): Promise<{ kind: RenewalKind; url: string }> {
  const license = await findOwnedLicense(deps.em.fork(), acting.customer, licenseId);
  const kind = renewalKind(deps, license);
  let url: string;
  if (kind === 'STRIPE_BILLING_PORTAL') {
    try {
      const session = await deps.stripe!.billingPortal.sessions.create({
        customer: license.stripeCustomerId!,
        return_url: `${deps.publicUrl.replace(/\/$/, '')}/portal/licenses/${license.id}`,
      });
      url = session.url;
    } catch {
      throw new Refusal('BILLING_UNAVAILABLE', 'The billing page could not be opened right now (the payment provider did not answer). Try again in a minute.');
    }
  } else if (kind === 'SELLER_PAGE') {
    url = deps.renewalUrlTemplate.replaceAll('{license_id}', encodeURIComponent(license.id)).replaceAll('{customer_id}', encodeURIComponent(acting.customer.id));
  } else {
    throw new Refusal('RENEWAL_NOT_AVAILABLE', 'This license cannot be renewed online. Contact the seller to renew it.');
  }
  await recordAuditEvent(deps.em.fork(), {
    actor: customerActor(acting.customer),
    action: 'license.renewal_opened',
    target: { type: 'license', id: license.id },
    licenseId: license.id,
    after: { kind },
    origin: acting.origin,
  });
  return { kind, url };
}
