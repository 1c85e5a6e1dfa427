import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.ts';

/**
 * A customer's portal session (cookie `kw_customer_session`), the shape every cookie-session
 * table shares (`schema/staff/session-table.ts`): only the keyed hash of the cookie's secret.
 */
export const CustomerSession = defineEntity({
  name: 'CustomerSession',
  tableName: 'customer_session',
  indexes: [{ name: 'customer_session_owner_index', properties: ['customer', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    customer: () => p.manyToOne(Customer).fieldName('owner_id').deleteRule('cascade'),
    tokenHash: p.string().length(64).unique('customer_session_token_hash_unique'),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    idleExpiresAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.string().length(100).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
  },
});

export type CustomerSessionEntity = InferEntity<typeof CustomerSession>;
