import { termProblems } from '../plans/policy.schema.ts';
import { effectivePolicy, termEnd, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { customerEmail, ensureIssued, issueStripeLicense, saleLicense } from './issue-stripe-license.ts';
import { planForPrices } from './plan-for-prices.ts';
import { paymentReversed } from './stripe-event-log.ts';
import type { Provisioned } from './provision-license.ts';
import { checkoutFacts, subscriptionItems, type SubscriptionItem } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** What the session sold: its line items, read from the Stripe API (events never carry them). */
async function lineItems(deps: StripeProcessingDeps, sessionId: string): Promise<SubscriptionItem[]> {
  const items: unknown[] = [];
  for await (const item of deps.stripe.checkout.sessions.listLineItems(sessionId, { limit: 100 })) items.push(item);
  return subscriptionItems(items);
}

/**
 * A paid one-time (`mode: payment`) checkout, e.g. a perpetual or fixed-term desktop license:
 * exactly one license per Checkout Session (its unique index and advisory lock). Plan from the
 * price of the session's line item, seats from its quantity, the term from the plan's policy
 * starting now (as POST /v1/licenses gives it: perpetual, a duration, or an end date), domain
 * and customer as for subscriptions. The payment intent is kept on the license, so a full
 * refund or a dispute of the payment revokes it. A repeat finds the license and only makes
 * sure its workflow runs and its key email is on its way.
 */
export async function provisionOneTimeLicense(deps: StripeProcessingDeps, eventId: string, session: Record<string, any>, now = new Date()): Promise<Provisioned> {
  const checkout = checkoutFacts(session);
  const sale = { stripeCheckoutSessionId: checkout.sessionId };
  const found = await saleLicense(deps.em, sale);
  if (found) {
    await ensureIssued(deps, found);
    return { licenseId: found.id, subscriptionId: null, created: false, detail: `license ${found.id} already provisioned for checkout ${checkout.sessionId}` };
  }

  if (checkout.paymentIntentId && (await paymentReversed(deps.em, checkout.paymentIntentId))) {
    throw new StripeEventRejection('PAYMENT_REVERSED', `payment ${checkout.paymentIntentId} of checkout ${checkout.sessionId} was refunded in full or disputed before a license was issued; none is issued`);
  }
  const { plan, item } = await planForPrices(deps.em, await lineItems(deps, checkout.sessionId), `checkout ${checkout.sessionId}`);
  const email = await customerEmail(deps, checkout.email, checkout.customerId);
  const overrides: PolicyOverrides = { seatLimit: item.quantity, ...(checkout.domain ? { allowedDomains: [checkout.domain] } : {}) };
  const policy = effectivePolicy(planPolicy(plan), overrides);
  const problems = termProblems(policy);
  if (problems.length) throw new StripeEventRejection('INVALID_TERM', `plan ${plan.code} has no usable term (${problems.join('; ')}); fix the plan, then replay the event`);
  const expiresAt = termEnd(policy, now);
  if (expiresAt && expiresAt <= now) {
    throw new StripeEventRejection('INVALID_TERM', `plan ${plan.code} ends on ${expiresAt.toISOString()}, before this purchase; fix the plan, then replay the event`);
  }
  const { license, created } = await issueStripeLicense(deps, eventId, {
    sale,
    checkout,
    email,
    stripeCustomerId: checkout.customerId,
    plan,
    overrides,
    seats: item.quantity,
    trialEndsAt: null,
    expiresAt,
    stripePaymentIntentId: checkout.paymentIntentId,
    reference: { stripe_checkout_session_id: checkout.sessionId },
  });
  return {
    licenseId: license.id,
    subscriptionId: null,
    created,
    detail: created
      ? `provisioned license ${license.id} (${plan.code}, ${item.quantity} seat(s), ${policy.termKind.toLowerCase()}) for one-time checkout ${checkout.sessionId}`
      : `license ${license.id} already provisioned for checkout ${checkout.sessionId}`,
  };
}
