import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting, SecretDeps } from './staff-deps.ts';

/** Turns a member's two-factor off and drops their secret and recovery codes (themselves, or an owner for a lost phone). */
export async function removeTwoFactor(deps: SecretDeps, memberId: string, acting: Acting, reason: string | null): Promise<void> {
  await deps.em.fork().transactional(async (tx) => {
    const member = await tx.findOne(StaffMember, { id: memberId });
    if (!member) throw new Refusal('STAFF_NOT_FOUND', `no staff member with id ${memberId}`);
    if (!member.totpEnabledAt && !member.totpSecretCiphertext) throw new Refusal('TWO_FACTOR_NOT_ENABLED', 'two-factor is not on for this member');
    const wasOn = Boolean(member.totpEnabledAt);
    member.totpEnabledAt = null;
    member.totpSecretCiphertext = null;
    member.totpLastStep = null;
    await tx.flush();
    await tx.execute(`delete from recovery_code where staff_member_id = ?`, [member.id]);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'staff.two_factor_disabled',
      target: { type: 'staff_member', id: member.id },
      reason,
      before: { two_factor_enabled: wasOn },
      after: { two_factor_enabled: false },
      origin: acting.origin,
    });
  });
}
