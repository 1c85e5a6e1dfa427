import { License } from '../../schema/entities.ts';
import { oneTimeCheckoutRecorded, storedInvoiceSubscription } from './stripe-event-log.ts';
import { invoiceSubscriptionId, stripeId } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** The license an event is about: by id, or through its Stripe subscription. */
export type Target = { subscriptionId: string } | { licenseId: string };

type Json = Record<string, any>;

/** The license a one-time purchase paid by this payment intent provisioned, if any. */
async function oneTimeLicense(deps: StripeProcessingDeps, paymentIntentId: string | null): Promise<Target | null> {
  if (!paymentIntentId) return null;
  const license = await deps.em.fork().findOne(License, { stripePaymentIntentId: paymentIntentId }, { fields: ['id'] });
  return license ? { licenseId: license.id } : null;
}

/** The subscription of an invoice: from the invoice as embedded, as stored with its events, or as the Stripe API has it. */
async function subscriptionOfInvoice(deps: StripeProcessingDeps, invoice: unknown): Promise<string | null> {
  const invoiceId = stripeId(invoice);
  if (!invoiceId) return null;
  const embedded = typeof invoice === 'object' && invoice ? invoiceSubscriptionId(invoice as Json) : null;
  return embedded ?? (await storedInvoiceSubscription(deps.em, invoiceId)) ?? invoiceSubscriptionId((await deps.stripe.invoices.retrieve(invoiceId)) as unknown as Json);
}

/**
 * The subscriptions whose invoices a payment intent paid. Charges no longer name their invoice
 * (Stripe moved the link to the invoice's payments), so the Stripe API is asked; each answer is
 * checked to be about this very payment intent before it is believed.
 */
async function subscriptionsPaidBy(deps: StripeProcessingDeps, paymentIntentId: string): Promise<{ subscriptions: string[]; complete: boolean }> {
  const payments = await deps.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, status: 'paid', limit: 10 });
  const invoices = new Set(payments.data.filter((entry) => stripeId(entry.payment?.payment_intent) === paymentIntentId && entry.status === 'paid').map((entry) => stripeId(entry.invoice)));
  const subscriptions = new Set<string>();
  for (const invoice of invoices) {
    const subscription = await subscriptionOfInvoice(deps, invoice);
    if (subscription) subscriptions.add(subscription);
  }
  return { subscriptions: [...subscriptions], complete: !payments.has_more };
}

/** Whether a payment intent paid a one-time (`mode: payment`) Checkout Session, as the Stripe API has it. */
async function listedOneTimeCheckout(deps: StripeProcessingDeps, paymentIntentId: string): Promise<boolean> {
  const sessions = await deps.stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 3 });
  return sessions.data.some((session) => session.mode === 'payment' && stripeId(session.payment_intent) === paymentIntentId);
}

/**
 * A charge's license, for a refund or a dispute:
 * - the one-time purchase its payment intent paid for;
 * - else the subscription of the invoice the charge names (older API versions), else of the
 *   invoice its payment intent paid (found through the invoice's payments);
 * - a payment intent that paid a one-time checkout without a license yet, paid invoices of
 *   several subscriptions, or paid no invoice at all, targets nothing: never the customer's
 *   subscription license;
 * - only a charge made without a payment intent (the legacy Charges API) falls back to the
 *   customer's only subscription license.
 */
export async function chargeTarget(deps: StripeProcessingDeps, charge: Json): Promise<Target> {
  const paymentIntentId = stripeId(charge.payment_intent);
  const oneTime = await oneTimeLicense(deps, paymentIntentId);
  if (oneTime) return oneTime;
  const named = await subscriptionOfInvoice(deps, charge.invoice);
  if (named) return { subscriptionId: named };
  if (paymentIntentId) return paidBy(deps, paymentIntentId, `charge ${charge.id}`);
  const customerId = stripeId(charge.customer);
  if (customerId) {
    const licenses = await deps.em.fork().find(License, { customer: { stripeCustomerId: customerId }, stripeSubscriptionId: { $ne: null }, status: { $ne: 'REVOKED' } });
    if (licenses.length === 1) return { licenseId: licenses[0]!.id };
    if (licenses.length > 1) throw new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `charge ${charge.id} names no invoice and customer ${customerId} holds ${licenses.length} licenses; revoke the right one by hand`);
  }
  throw new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `charge ${charge.id} leads to no subscription and no license`);
}

/**
 * The subscription whose invoice a payment intent paid, for a payment intent that provisioned
 * no one-time license. What Keywarden recorded is asked first (a one-time checkout without a
 * license yet), then the Stripe API. `what` names the reversal in refusals.
 */
async function paidBy(deps: StripeProcessingDeps, paymentIntentId: string, what: string): Promise<Target> {
  const oneTimeRefusal = () =>
    new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `${what} paid one-time checkout ${paymentIntentId}, which has no license; nothing to revoke unless one is issued (then replay this event)`);
  if (await oneTimeCheckoutRecorded(deps.em, paymentIntentId)) throw oneTimeRefusal();
  const { subscriptions, complete } = await subscriptionsPaidBy(deps, paymentIntentId);
  if (subscriptions.length === 1 && complete) return { subscriptionId: subscriptions[0]! };
  if (subscriptions.length) {
    throw new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `${what} (payment ${paymentIntentId}) paid invoices of several subscriptions (${subscriptions.join(', ')}${complete ? '' : ', and more'}); revoke the right license by hand`);
  }
  if (await listedOneTimeCheckout(deps, paymentIntentId)) throw oneTimeRefusal();
  throw new StripeEventRejection('LICENSE_NOT_IDENTIFIED', `${what} (payment ${paymentIntentId}) paid neither a subscription invoice nor a checkout; no license revoked`);
}

/**
 * A dispute's license: as its charge's when the charge is embedded; else by the disputed
 * payment intent, without reading the charge; a dispute without either (a legacy charge id)
 * by the charge as the Stripe API has it.
 */
export async function disputeTarget(deps: StripeProcessingDeps, dispute: Json): Promise<Target> {
  if (typeof dispute.charge === 'object' && dispute.charge) return chargeTarget(deps, { payment_intent: dispute.payment_intent, ...dispute.charge });
  const paymentIntentId = stripeId(dispute.payment_intent);
  if (paymentIntentId) return (await oneTimeLicense(deps, paymentIntentId)) ?? paidBy(deps, paymentIntentId, `dispute ${dispute.id}`);
  return chargeTarget(deps, (await deps.stripe.charges.retrieve(String(dispute.charge))) as unknown as Json);
}
