import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * RECEIVED: recorded, not yet acted on. PROCESSING: being acted on (claimed). PROCESSED: its
 * fact reached the license (or provisioned it). IGNORED: nothing to do (with why). DEFERRED: its
 * subscription has no license yet; applied when the checkout provisions it. FAILED: could not be
 * applied (with a code and why); kept for a replay once the cause is fixed.
 */
export const STRIPE_EVENT_STATUSES = ['RECEIVED', 'PROCESSING', 'PROCESSED', 'IGNORED', 'DEFERRED', 'FAILED'] as const;
export type StripeEventStatus = (typeof STRIPE_EVENT_STATUSES)[number];

/**
 * Every Stripe event the webhook accepted, recorded by its id before it is acted on: the
 * primary key makes redeliveries and concurrent duplicates one row.
 */
export const StripeEvent = defineEntity({
  name: 'StripeEvent',
  tableName: 'stripe_event',
  indexes: [
    { name: 'stripe_event_status_index', properties: ['status', 'createdAt'] },
    { name: 'stripe_event_subscription_index', properties: ['subscriptionId', 'stripeCreatedAt'] },
    { name: 'stripe_event_payment_intent_index', properties: ['paymentIntentId'] },
    // A license's events, for its account view in the console.
    { name: 'stripe_event_license_index', properties: ['licenseId', 'createdAt'] },
  ],
  properties: {
    /** Stripe's event id (`evt_…`). */
    id: p.string().length(255).primary(),
    type: p.string().length(100),
    /** When Stripe created the event: facts are ordered by it, not by arrival. */
    stripeCreatedAt: p.datetime(),
    livemode: p.boolean().default(false),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum(STRIPE_EVENT_STATUSES).nativeEnumName('stripe_event_status').default('RECEIVED'),
    /** The subscription the event is about, when it names one. */
    subscriptionId: p.string().length(255).nullable(),
    /** The payment intent a checkout, charge or dispute event names (one-time purchases are found by it). */
    paymentIntentId: p.string().length(255).nullable(),
    licenseId: p.uuid().nullable(),
    /** What processing did, for people (`paymentSucceeded → license-…`, or why it was ignored). */
    detail: p.text().nullable(),
    errorCode: p.string().length(100).nullable(),
    error: p.text().nullable(),
    attempts: p.integer().default(0),
    claimedAt: p.datetime().nullable(),
    processedAt: p.datetime().nullable(),
    /** When Keywarden received it first. */
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type StripeEventEntity = InferEntity<typeof StripeEvent>;
