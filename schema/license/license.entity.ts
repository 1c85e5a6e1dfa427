import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.ts';
import type { PolicyOverrides } from '../plan/plan-policy.ts';
import { Plan } from '../plan/plan.entity.ts';
import { LICENSE_STATUSES } from './license-status.ts';

/**
 * A license. The raw key is never stored: `keyHash` is an HMAC under the server secret (for
 * look-ups), `keyHint` is what staff see, and `keyCiphertext` is an encrypted copy kept only
 * so the key can be re-sent to its owner. Its policy is the plan's with `overrides` on top.
 */
export const License = defineEntity({
  name: 'License',
  tableName: 'license',
  indexes: [
    {
      // At most one license per Stripe subscription: concurrent checkouts provision exactly one.
      name: 'license_stripe_subscription_unique',
      expression: 'create unique index "license_stripe_subscription_unique" on "license" ("stripe_subscription_id") where "stripe_subscription_id" is not null',
    },
    {
      // At most one license per Stripe Checkout Session: a one-time purchase provisions exactly one.
      name: 'license_stripe_checkout_session_unique',
      expression:
        'create unique index "license_stripe_checkout_session_unique" on "license" ("stripe_checkout_session_id") where "stripe_checkout_session_id" is not null',
    },
    // The console's search pages newest first, and filters on expiry.
    { name: 'license_created_at_index', properties: ['createdAt', 'id'] },
    { name: 'license_expires_at_index', properties: ['expiresAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    keyHash: p.string().length(64).unique('license_key_hash_unique'),
    keyHint: p.string().length(32).index('license_key_hint_index'),
    keyCiphertext: p.text().nullable(),
    status: p.enum(LICENSE_STATUSES).nativeEnumName('license_status').index('license_status_index'),
    plan: () => p.manyToOne(Plan).deleteRule('restrict').index('license_plan_index'),
    customer: () => p.manyToOne(Customer).nullable().deleteRule('restrict').index('license_customer_index'),
    overrides: p.json<PolicyOverrides>().default('{}'),
    expiresAt: p.datetime().nullable(),
    trialEndsAt: p.datetime().nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    stripeSubscriptionId: p.string().length(255).nullable().index('license_stripe_subscription_index'),
    /** The Checkout Session that sold the license (a subscription's or a one-time purchase's). */
    stripeCheckoutSessionId: p.string().length(255).nullable(),
    /** The payment of a one-time purchase: its refund or dispute revokes the license. */
    stripePaymentIntentId: p.string().length(255).nullable().index('license_stripe_payment_intent_index'),
    /** When activations first went beyond the seat limit (overage grace); null when within it. */
    overageStartedAt: p.datetime().nullable(),
    /** Grows by one on every change; the workflow uses it to detect drift. */
    version: p.integer().default(1),
    statusReason: p.text().nullable(),
    /** When the key was first validated (the validation counter's flush sets it once): the time to first validation. */
    firstValidatedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type LicenseEntity = InferEntity<typeof License>;
