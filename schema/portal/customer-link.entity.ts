import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.ts';

/**
 * A customer's one-time sign-in link to the portal: single use, 15 minutes, stored as the keyed
 * hash of its secret only. A newer link for the same customer replaces older unused ones.
 */
export const CustomerLink = defineEntity({
  name: 'CustomerLink',
  tableName: 'customer_link',
  indexes: [{ name: 'customer_link_customer_index', properties: ['customer', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    customer: () => p.manyToOne(Customer).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique('customer_link_token_hash_unique'),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export type CustomerLinkEntity = InferEntity<typeof CustomerLink>;
