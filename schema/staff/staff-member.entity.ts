import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROLES } from '../../lib/roles.ts';

export const STAFF_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/**
 * A person who works in Keywarden: support, finance, engineers, owners. Signs in with a
 * password (argon2id; none until an invitation is accepted) or by SSO, optionally with a
 * TOTP second factor whose secret is stored encrypted under the server secret.
 */
export const StaffMember = defineEntity({
  name: 'StaffMember',
  tableName: 'staff_member',
  properties: {
    id: p.uuid().primary(),
    /** Stored lower-cased. */
    email: p.string().length(320).unique('staff_member_email_unique'),
    name: p.string().length(200),
    role: p.enum(ROLES).nativeEnumName('staff_role'),
    status: p.enum(STAFF_STATUSES).nativeEnumName('staff_status').default('ACTIVE'),
    /** argon2id PHC string; null until the member sets one (invitation, SSO-only accounts). */
    passwordHash: p.text().nullable(),
    passwordChangedAt: p.datetime().nullable(),
    /** Base32 TOTP secret sealed by ServerSecret.encrypt(…, `totp:<id>`); set at enrolment, live once confirmed. */
    totpSecretCiphertext: p.text().nullable(),
    totpEnabledAt: p.datetime().nullable(),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: p.bigint('number').nullable(),
    /** Created by a single sign-on: the identity provider's claims keep deciding the role. */
    ssoManaged: p.boolean().default(false),
    lastSignInAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type StaffMemberEntity = InferEntity<typeof StaffMember>;
