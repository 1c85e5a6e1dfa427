import { randomBytes } from 'node:crypto';

/**
 * Stripe objects and events shaped as Stripe sends them (API version 2026-10-28), for the
 * webhook tests and the benchmarks. Plain data: no stack, no I/O.
 */

/** `days` from now, to the second (Stripe's timestamps are whole seconds). */
export const future = (days: number) => new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000).toISOString();

let clock = Math.floor(Date.now() / 1000) - 86_400;

/** A Stripe event envelope; `created` ascends with each call unless given. */
export function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number; previous?: Record<string, unknown> } = {}) {
  return {
    id: options.id ?? `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: options.created ?? (clock += 10),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object, ...(options.previous ? { previous_attributes: options.previous } : {}) },
  };
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A subscription object as Stripe sends it in events (current API: the period is on the items). */
export function subscriptionObject(id: string, options: { customer: string; price: string; quantity?: number; unitAmount?: number; periodEnd: string; status?: string; trialEnd?: string | null }) {
  return {
    id,
    object: 'subscription',
    customer: options.customer,
    status: options.status ?? 'active',
    cancel_at_period_end: false,
    trial_end: options.trialEnd ? unix(options.trialEnd) : null,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${id}`,
          object: 'subscription_item',
          quantity: options.quantity ?? 1,
          current_period_end: unix(options.periodEnd),
          price: { id: options.price, object: 'price', unit_amount: options.unitAmount ?? 1000, recurring: { interval: 'month' } },
        },
      ],
    },
  };
}

export function checkoutObject(options: { subscription: string; customer: string; email?: string | null; domain?: string }) {
  return {
    id: `cs_test_${randomBytes(8).toString('hex')}`,
    object: 'checkout.session',
    mode: 'subscription',
    payment_status: 'paid',
    status: 'complete',
    customer: options.customer,
    customer_details: { email: options.email === undefined ? 'buyer@example.com' : options.email, name: 'Ada Buyer' },
    subscription: options.subscription,
    metadata: options.domain ? { domain: options.domain } : {},
  };
}

/** A one-time purchase's Checkout Session (`mode: payment`): paid by a payment intent, no subscription. */
export function oneTimeCheckoutObject(options: { customer: string; email?: string | null; paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required'; domain?: string }) {
  return {
    id: `cs_test_${randomBytes(8).toString('hex')}`,
    object: 'checkout.session',
    mode: 'payment',
    payment_status: options.paymentStatus ?? 'paid',
    status: 'complete',
    customer: options.customer,
    customer_details: { email: options.email === undefined ? 'buyer@example.com' : options.email, name: 'Ada Buyer' },
    subscription: null,
    payment_intent: `pi_${randomBytes(8).toString('hex')}`,
    metadata: options.domain ? { domain: options.domain } : {},
  };
}

export function invoiceObject(options: { subscription: string; customer: string; periodEnd: string; price: string; id?: string; billingReason?: string }) {
  return {
    id: options.id ?? `in_${randomBytes(8).toString('hex')}`,
    object: 'invoice',
    customer: options.customer,
    billing_reason: options.billingReason ?? 'subscription_cycle',
    parent: { type: 'subscription_details', subscription_details: { subscription: options.subscription, metadata: {} } },
    lines: {
      object: 'list',
      data: [
        {
          id: `il_${randomBytes(6).toString('hex')}`,
          object: 'line_item',
          period: { start: unix(options.periodEnd) - 30 * 86_400, end: unix(options.periodEnd) },
          parent: { type: 'subscription_item_details', subscription_item_details: { subscription: options.subscription } },
          pricing: { type: 'price_details', price_details: { price: options.price } },
        },
      ],
    },
  };
}

export function chargeObject(options: { customer: string; invoice?: string; paymentIntent?: string; refunded?: boolean }) {
  return {
    id: `ch_${randomBytes(8).toString('hex')}`,
    object: 'charge',
    customer: options.customer,
    invoice: options.invoice ?? null,
    payment_intent: options.paymentIntent ?? null,
    amount: 1000,
    amount_refunded: options.refunded === false ? 100 : 1000,
    refunded: options.refunded ?? true,
  };
}

export const suffix = () => randomBytes(5).toString('hex');
