import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Who holds licenses: the billing and CRM identities outreach and Stripe link to. */
export const Customer = defineEntity({
  name: 'Customer',
  tableName: 'customer',
  properties: {
    id: p.uuid().primary(),
    /** Stored lower-cased. */
    email: p.string().length(320).unique('customer_email_unique'),
    name: p.string().length(200).nullable(),
    stripeCustomerId: p.string().length(255).nullable().unique('customer_stripe_customer_id_unique'),
    hubspotContactId: p.string().length(64).nullable(),
    hubspotCompanyId: p.string().length(64).nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type CustomerEntity = InferEntity<typeof Customer>;
