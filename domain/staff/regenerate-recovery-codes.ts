import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { replaceRecoveryCodes } from './recovery-codes.ts';
import type { Acting, SecretDeps } from './staff-deps.ts';

/** New recovery codes for a member with two-factor on (the old ones stop working). */
export async function regenerateRecoveryCodes(deps: SecretDeps, memberId: string, acting: Acting): Promise<string[]> {
  return deps.em.fork().transactional(async (tx) => {
    const member = await tx.findOneOrFail(StaffMember, { id: memberId });
    if (!member.totpEnabledAt) throw new Refusal('TWO_FACTOR_NOT_ENABLED', 'turn two-factor on first');
    const codes = await replaceRecoveryCodes(tx, deps.secret, member.id);
    await recordAuditEvent(tx, { actor: acting.actor, action: 'staff.recovery_codes_replaced', target: { type: 'staff_member', id: member.id }, origin: acting.origin });
    return codes;
  });
}
