import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { StaffMember } from './staff-member.entity.ts';

/**
 * A staff member's browser session (cookie `kw_staff_session`). The cookie carries a random
 * secret; only its keyed hash is stored, so a database dump holds no usable session. The
 * columns up to `user_agent` are the shape every cookie-session table shares
 * (`schema/staff/session-table.ts`).
 */
export const StaffSession = defineEntity({
  name: 'StaffSession',
  tableName: 'staff_session',
  indexes: [{ name: 'staff_session_owner_index', properties: ['staffMember', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    staffMember: () => p.manyToOne(StaffMember).fieldName('owner_id').deleteRule('cascade'),
    tokenHash: p.string().length(64).unique('staff_session_token_hash_unique'),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    idleExpiresAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.string().length(100).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    /** `password`, `sso`, `setup`, `invitation`, `password_reset`. */
    method: p.string().length(20),
  },
});

export type StaffSessionEntity = InferEntity<typeof StaffSession>;
