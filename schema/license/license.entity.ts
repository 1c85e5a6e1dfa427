import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { LICENSE_STATUSES } from './license-status.ts';

export type Features = Record<string, boolean | number | string>;

/**
 * A license. The raw key is never stored: `keyHash` is an HMAC under the server secret (for
 * look-ups), `keyHint` is what staff see, and `keyCiphertext` is an encrypted copy kept only
 * so the key can be re-sent to its owner.
 */
export const License = defineEntity({
  name: 'License',
  tableName: 'license',
  properties: {
    id: p.uuid().primary(),
    keyHash: p.string().length(64).unique('license_key_hash_unique'),
    keyHint: p.string().length(32),
    keyCiphertext: p.text().nullable(),
    status: p.enum(LICENSE_STATUSES).nativeEnumName('license_status'),
    plan: p.string().length(100),
    features: p.json<Features>().default('{}'),
    seatLimit: p.integer().nullable(),
    customerEmail: p.string().length(320).nullable().index('license_customer_email_index'),
    expiresAt: p.datetime().nullable(),
    trialEndsAt: p.datetime().nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    /** Grows by one on every change; the workflow uses it to detect drift. */
    version: p.integer().default(1),
    statusReason: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type LicenseEntity = InferEntity<typeof License>;
