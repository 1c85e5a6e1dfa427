import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { StaffMember } from './staff-member.entity.ts';

/** A two-factor recovery code: shown once, stored as a keyed hash, each good for one sign-in. */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_code',
  properties: {
    id: p.uuid().primary(),
    staffMember: () => p.manyToOne(StaffMember).deleteRule('cascade').index('recovery_code_member_index'),
    codeHash: p.string().length(64).unique('recovery_code_hash_unique'),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type RecoveryCodeEntity = InferEntity<typeof RecoveryCode>;
