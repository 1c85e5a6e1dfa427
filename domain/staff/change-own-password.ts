import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { assertStrongPassword } from './assert-strong-password.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import type { Acting, StaffDeps } from './staff-deps.ts';

/**
 * A member changes their own password, proving the current one (a member without one, SSO
 * only, sets it through a reset link instead). Every other session of theirs ends.
 */
export async function changeOwnPassword(
  deps: Pick<StaffDeps, 'em' | 'sessions' | 'passwordMinLength'>,
  memberId: string,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
  acting: Acting,
): Promise<void> {
  await deps.em.fork().transactional(async (tx) => {
    const member = await tx.findOneOrFail(StaffMember, { id: memberId });
    if (!member.passwordHash || !(await verifyPassword(member.passwordHash, input.currentPassword))) {
      throw new Refusal('INVALID_CREDENTIALS', 'the current password is wrong');
    }
    assertStrongPassword(input.newPassword, { minLength: deps.passwordMinLength, email: member.email });
    member.passwordHash = await hashPassword(input.newPassword);
    member.passwordChangedAt = new Date();
    await tx.flush();
    const ended = await deps.sessions.revokeAll(tx, member.id, 'password_changed', input.keepSessionId);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'staff.password_changed',
      target: { type: 'staff_member', id: member.id },
      after: { other_sessions_ended: ended.length },
      origin: acting.origin,
    });
  });
}
