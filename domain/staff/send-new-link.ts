import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { prepareStaffLink, type SentLink } from './send-staff-link.ts';
import type { Acting, StaffDeps } from './staff-deps.ts';
import type { StaffLinkEmail } from './staff-mailer.ts';

/**
 * An owner sends a member a new invitation (they lost it, it expired) or a password-reset
 * link. The older link of that kind stops working.
 */
export async function sendNewStaffLink(deps: StaffDeps, memberId: string, kind: StaffLinkEmail, acting: Acting): Promise<SentLink> {
  const prepared = await deps.em.fork().transactional(async (tx) => {
    const member = await tx.findOne(StaffMember, { id: memberId });
    if (!member) throw new Refusal('STAFF_NOT_FOUND', `no staff member with id ${memberId}`);
    if (member.status !== 'ACTIVE') throw new Refusal('ACCOUNT_DISABLED', 'the staff account is disabled; enable it first');
    const link = await prepareStaffLink(tx, deps, member, kind, acting.label);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: kind === 'INVITATION' ? 'staff.invitation_sent' : 'staff.password_reset_sent',
      target: { type: 'staff_member', id: member.id },
      after: { link_id: link.id, expires_at: link.expiresAt.toISOString() },
      origin: acting.origin,
    });
    return link;
  });
  return prepared.send();
}
