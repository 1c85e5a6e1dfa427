import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

export const ACTIVATION_KINDS = ['MACHINE', 'USER', 'LEASE'] as const;
export type ActivationKind = (typeof ACTIVATION_KINDS)[number];

/**
 * One machine (or user, or concurrent lease) using a license. Rows are never deleted:
 * deactivation stamps `deactivatedAt`, so the admin views keep the whole history.
 */
export const Activation = defineEntity({
  name: 'Activation',
  tableName: 'activation',
  indexes: [
    {
      name: 'activation_live_fingerprint_unique',
      expression:
        'create unique index "activation_live_fingerprint_unique" on "activation" ("license_id", "fingerprint") where "deactivated_at" is null',
    },
    { name: 'activation_license_index', properties: ['license'] },
  ],
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade'),
    fingerprint: p.string().length(255),
    kind: p.enum(ACTIVATION_KINDS).nativeEnumName('activation_kind'),
    name: p.string().length(255).nullable(),
    hostname: p.string().length(255).nullable(),
    platform: p.string().length(100).nullable(),
    ip: p.string().length(64).nullable(),
    domain: p.string().length(255).nullable(),
    userId: p.string().length(255).nullable(),
    firstSeenAt: p.datetime(),
    lastSeenAt: p.datetime(),
    leaseExpiresAt: p.datetime().nullable(),
    deactivatedAt: p.datetime().nullable(),
    /** `self` (the client), `admin:<token>`, `lease-expired`. */
    deactivatedBy: p.string().length(200).nullable(),
  },
});

export type ActivationEntity = InferEntity<typeof Activation>;
