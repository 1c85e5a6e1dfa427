import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Who holds licenses: the billing and CRM identities outreach and Stripe link to. */
export const Customer = defineEntity({
  name: 'Customer',
  tableName: 'customer',
  indexes: [
    // Substring search on e-mail and name (the console's search box): trigram indexes.
    { name: 'customer_email_trgm_index', expression: 'create index "customer_email_trgm_index" on "customer" using gin ("email" gin_trgm_ops)' },
    { name: 'customer_name_trgm_index', expression: 'create index "customer_name_trgm_index" on "customer" using gin ("name" gin_trgm_ops)' },
  ],
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
