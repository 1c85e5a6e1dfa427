import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { StaffMember } from './staff-member.entity.ts';

/** SETUP makes the first owner (no member yet); INVITATION sets a new member's password; PASSWORD_RESET a forgotten one. */
export const STAFF_LINK_PURPOSES = ['SETUP', 'INVITATION', 'PASSWORD_RESET'] as const;
export type StaffLinkPurpose = (typeof STAFF_LINK_PURPOSES)[number];

/**
 * A one-time link: single use, short-lived, stored as the keyed hash of its secret only. A new
 * link of the same purpose for the same member replaces the older ones (they are marked used).
 */
export const StaffLink = defineEntity({
  name: 'StaffLink',
  tableName: 'staff_link',
  indexes: [{ name: 'staff_link_member_index', properties: ['staffMember', 'purpose'] }],
  properties: {
    id: p.uuid().primary(),
    staffMember: () => p.manyToOne(StaffMember).nullable().deleteRule('cascade'),
    purpose: p.enum(STAFF_LINK_PURPOSES).nativeEnumName('staff_link_purpose'),
    tokenHash: p.string().length(64).unique('staff_link_token_hash_unique'),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    /** Who asked for it (`staff:<email>`, `admin:<token>`, `system:start`, `self`). */
    createdBy: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type StaffLinkEntity = InferEntity<typeof StaffLink>;
