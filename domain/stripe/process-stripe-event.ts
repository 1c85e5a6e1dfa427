import * as messages from '../lifecycle/billing-signals.ts';
import type { BillingFactMessage } from '../lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../plans/lifecycle-policy.ts';
import { License } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { planForPrices } from './plan-for-prices.ts';
import { provisionLicense } from './provision-license.ts';
import { provisionOneTimeLicense } from './provision-one-time-license.ts';
import { chargeTarget, disputeTarget, type Target } from './payment-target.ts';
import type { EventResult, StoredStripeEvent } from './stripe-event-log.ts';
import { checkoutFacts, invoicePeriodEnd, invoiceSubscriptionId, itemsAmount, stripeId, stripeTime, subscriptionItems, subscriptionSnapshot } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

export interface ProcessResult extends EventResult {
  /** A checkout provisioned this subscription's license: its deferred events can now apply. */
  provisioned?: string;
}


/**
 * Finds the license an event is about. Without one yet (the checkout has not arrived: Stripe
 * does not keep order), the event is DEFERRED under the subscription's advisory lock, the same
 * lock provisioning takes, so it is applied right after the license is created.
 */
async function withLicense(deps: StripeProcessingDeps, event: StoredStripeEvent, target: Target, act: (license: LicenseEntity) => Promise<ProcessResult>): Promise<ProcessResult> {
  if ('licenseId' in target) {
    const license = await deps.em.fork().findOne(License, { id: target.licenseId }, { populate: ['plan', 'customer'] });
    if (!license) throw new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `license ${target.licenseId} no longer exists`);
    return act(license);
  }
  const { subscriptionId } = target;
  const license = await deps.em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`stripe-subscription:${subscriptionId}`]);
    const found = await tx.findOne(License, { stripeSubscriptionId: subscriptionId }, { populate: ['plan', 'customer'] });
    if (!found) {
      await tx.execute(
        `update stripe_event set status = 'DEFERRED', subscription_id = ?, detail = ?, claimed_at = null, updated_at = now() where id = ? and status = 'PROCESSING'`,
        [subscriptionId, `no license for ${subscriptionId} yet: applied when its checkout provisions it`, event.id],
      );
    }
    return found;
  });
  if (!license) return { status: 'DEFERRED', subscriptionId };
  return act(license);
}

/**
 * Hands the event's fact to the license's workflow. An event claimed from PROCESSED (a replay)
 * was handed over before: a workflow that starts from the row for it counts it as applied.
 */
async function deliver(deps: StripeProcessingDeps, event: StoredStripeEvent, license: LicenseEntity, message: BillingFactMessage): Promise<ProcessResult> {
  const delivery = await deps.lifecycle.deliverBillingFact(license.id, message, { deliveredBefore: event.previous_status === 'PROCESSED' });
  return { status: delivery.delivered ? 'PROCESSED' : 'IGNORED', detail: delivery.detail, licenseId: license.id };
}

async function planChange(deps: StripeProcessingDeps, event: StoredStripeEvent, license: LicenseEntity, occurredAt: string): Promise<ProcessResult> {
  const previous = event.payload.data.previous_attributes ?? {};
  if (!('items' in previous) && !('quantity' in previous) && !('plan' in previous)) {
    return { status: 'IGNORED', detail: 'no plan or seat change in this update', licenseId: license.id };
  }
  const snapshot = subscriptionSnapshot(event.payload.data.object);
  const { plan, item } = await planForPrices(deps.em, snapshot.items);
  const before = 'items' in previous ? subscriptionItems(previous.items) : snapshot.items.map((i) => ({ ...i, quantity: typeof previous.quantity === 'number' ? previous.quantity : i.quantity }));
  const [after, was] = [itemsAmount(snapshot.items), itemsAmount(before)];
  const seatsBefore = before.reduce((sum, i) => sum + i.quantity, 0);
  // Upgrades (more per period; or, without amounts, not fewer seats) now; downgrades at period end.
  const upgrade = after !== null && was !== null ? after >= was : item.quantity >= seatsBefore;
  const overrides = { ...(license.overrides as PolicyOverrides), seatLimit: item.quantity };
  return deliver(deps, event, license, {
    signal: messages.planChangedSignal,
    fact: {
      eventId: event.id,
      occurredAt,
      planId: plan.id,
      planCode: plan.code,
      policy: lifecyclePolicy(effectivePolicy(planPolicy(plan), overrides)),
      effective: upgrade ? 'now' : 'period_end',
      seatLimit: item.quantity,
    },
  });
}

/** The subscription's current period end, when the invoice does not carry it (incomplete event). */
async function periodEndOf(deps: StripeProcessingDeps, invoice: Record<string, any>, subscriptionId: string): Promise<string> {
  const fromLines = invoicePeriodEnd(invoice);
  if (fromLines) return fromLines;
  const read = subscriptionSnapshot((await deps.stripe.subscriptions.retrieve(subscriptionId)) as unknown as Record<string, any>);
  if (!read.currentPeriodEnd) throw new StripeEventRejection('NO_PERIOD_END', `neither invoice ${invoice.id} nor subscription ${subscriptionId} gives a period end`);
  return read.currentPeriodEnd;
}

/**
 * Acts on one recorded event: provisions, or turns it into a billing fact for the license's
 * workflow. Configuration problems are StripeEventRejections (kept FAILED, replayable);
 * anything else thrown is a transient fault the caller records and Stripe retries.
 */
export async function processStripeEvent(deps: StripeProcessingDeps, event: StoredStripeEvent): Promise<ProcessResult> {
  const object = event.payload.data.object;
  const occurredAt = new Date(event.stripe_created_at).toISOString();
  const base = { eventId: event.id, occurredAt };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const checkout = checkoutFacts(object);
      if (!checkout.paid) return { status: 'IGNORED', detail: `checkout ${checkout.sessionId} is not paid yet; checkout.session.async_payment_succeeded provisions it` };
      if (checkout.subscriptionId) {
        const provisioned = await provisionLicense(deps, event.id, object, checkout.subscriptionId);
        return { status: 'PROCESSED', detail: provisioned.detail, licenseId: provisioned.licenseId, subscriptionId: checkout.subscriptionId, provisioned: checkout.subscriptionId };
      }
      if (checkout.mode !== 'payment') return { status: 'IGNORED', detail: `checkout ${checkout.sessionId} (mode ${checkout.mode}) sells nothing: neither a subscription nor a one-time payment` };
      const provisioned = await provisionOneTimeLicense(deps, event.id, object);
      return { status: 'PROCESSED', detail: provisioned.detail, licenseId: provisioned.licenseId };
    }
    case 'customer.subscription.created':
      return withLicense(deps, event, { subscriptionId: object.id }, async (license) => ({ status: 'IGNORED', detail: 'the license was provisioned from this subscription', licenseId: license.id }));
    case 'customer.subscription.updated':
      return withLicense(deps, event, { subscriptionId: object.id }, (license) => planChange(deps, event, license, occurredAt));
    case 'customer.subscription.deleted':
      return withLicense(deps, event, { subscriptionId: object.id }, (license) => deliver(deps, event, license, { signal: messages.subscriptionCanceledSignal, fact: base }));
    case 'customer.subscription.trial_will_end':
      return withLicense(deps, event, { subscriptionId: object.id }, (license) =>
        deliver(deps, event, license, { signal: messages.trialWillEndSignal, fact: { ...base, trialEndsAt: stripeTime(object.trial_end) } }),
      );
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const subscriptionId = invoiceSubscriptionId(object);
      if (!subscriptionId) return { status: 'IGNORED', detail: `invoice ${object.id} bills no subscription` };
      return withLicense(deps, event, { subscriptionId }, async (license) =>
        event.type === 'invoice.paid'
          ? deliver(deps, event, license, { signal: messages.paymentSucceededSignal, fact: { ...base, periodEnd: await periodEndOf(deps, object, subscriptionId), subscriptionId } })
          : deliver(deps, event, license, { signal: messages.paymentFailedSignal, fact: { ...base, subscriptionId } }),
      );
    }
    case 'charge.refunded': {
      if (!object.refunded) return { status: 'IGNORED', detail: `charge ${object.id} is only partly refunded; a license is revoked on a full refund` };
      return withLicense(deps, event, await chargeTarget(deps, object), (license) =>
        deliver(deps, event, license, { signal: messages.refundedSignal, fact: { ...base, reason: `charge ${object.id} refunded` } }),
      );
    }
    case 'charge.dispute.created': {
      return withLicense(deps, event, await disputeTarget(deps, object), (license) =>
        deliver(deps, event, license, { signal: messages.refundedSignal, fact: { ...base, reason: `chargeback: dispute ${object.id}${object.reason ? ` (${object.reason})` : ''}` } }),
      );
    }
    default:
      return { status: 'IGNORED', detail: `Keywarden does not act on ${event.type}` };
  }
}

