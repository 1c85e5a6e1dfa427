import type { PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { customerEmail, ensureIssued, issueStripeLicense, saleLicense } from './issue-stripe-license.ts';
import { latestSubscriptionObject } from './stripe-event-log.ts';
import { planForPrices } from './plan-for-prices.ts';
import { checkoutFacts, subscriptionSnapshot, type SubscriptionSnapshot } from './stripe-objects.ts';
import type { StripeProcessingDeps } from './stripe-processing-deps.ts';

export interface Provisioned {
  licenseId: string;
  /** The subscription that sold the license; null for a one-time purchase. */
  subscriptionId: string | null;
  created: boolean;
  detail: string;
}

/**
 * The subscription as it stands: the newest subscription object a stored event carried, else
 * the Stripe API (a Checkout Session names its subscription but not its prices or period).
 */
async function currentSubscription(deps: StripeProcessingDeps, subscriptionId: string): Promise<SubscriptionSnapshot> {
  const stored = await latestSubscriptionObject(deps.em, subscriptionId);
  if (stored) return subscriptionSnapshot(stored);
  const read = await deps.stripe.subscriptions.retrieve(subscriptionId);
  return subscriptionSnapshot(read as unknown as Record<string, any>);
}

/**
 * checkout.session.completed of a subscription: exactly one license per subscription. Plan from
 * the price each plan lists, seats from the quantity, domain from the session's metadata,
 * customer found by Stripe id or email (or created), issued under the subscription's advisory
 * lock (issueStripeLicense). A repeat finds the license and only makes sure its workflow runs
 * and its key email is on its way.
 */
export async function provisionLicense(deps: StripeProcessingDeps, eventId: string, session: Record<string, any>, subscriptionId: string): Promise<Provisioned> {
  const checkout = checkoutFacts(session);
  const sale = { stripeSubscriptionId: subscriptionId };
  const found = await saleLicense(deps.em, sale);
  if (found) {
    await ensureIssued(deps, found);
    return { licenseId: found.id, subscriptionId, created: false, detail: `license ${found.id} already provisioned for ${subscriptionId}` };
  }

  const subscription = await currentSubscription(deps, subscriptionId);
  const { plan, item } = await planForPrices(deps.em, subscription.items);
  const email = await customerEmail(deps, checkout.email, checkout.customerId ?? subscription.customerId);
  const trialing = subscription.status === 'trialing' && subscription.trialEnd !== null;
  const overrides: PolicyOverrides = { seatLimit: item.quantity, ...(checkout.domain ? { allowedDomains: [checkout.domain] } : {}) };
  const { license, created } = await issueStripeLicense(deps, eventId, {
    sale,
    checkout,
    email,
    stripeCustomerId: checkout.customerId ?? subscription.customerId,
    plan,
    overrides,
    seats: item.quantity,
    trialEndsAt: trialing ? new Date(subscription.trialEnd!) : null,
    expiresAt: trialing || !subscription.currentPeriodEnd ? null : new Date(subscription.currentPeriodEnd),
    stripePaymentIntentId: null,
    reference: { stripe_subscription_id: subscriptionId },
  });
  return {
    licenseId: license.id,
    subscriptionId,
    created,
    detail: created ? `provisioned license ${license.id} (${plan.code}, ${item.quantity} seat(s)) for ${subscriptionId}` : `license ${license.id} already provisioned for ${subscriptionId}`,
  };
}
