import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Role } from '../../lib/roles.ts';
import { StaffMember, type StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { prepareStaffLink, type SentLink } from './send-staff-link.ts';
import type { Acting, StaffDeps } from './staff-deps.ts';
import { normaliseEmail, staffAuditView } from './staff-view.ts';

/**
 * Adds a staff member and invites them: a one-time link (1 h) to set their password, e-mailed
 * when e-mail is configured, otherwise answered for the owner to hand over.
 */
export async function inviteStaffMember(deps: StaffDeps, input: { email: string; name: string; role: Role }, acting: Acting): Promise<{ member: StaffMemberEntity; invitation: SentLink }> {
  const email = normaliseEmail(input.email);
  let prepared: Awaited<ReturnType<typeof prepareStaffLink>>;
  let member: StaffMemberEntity;
  try {
    member = await deps.em.fork().transactional(async (tx) => {
      const created = tx.create(StaffMember, { id: randomUUID(), email, name: input.name.trim(), role: input.role, status: 'ACTIVE' });
      await tx.flush();
      prepared = await prepareStaffLink(tx, deps, created, 'INVITATION', acting.label);
      await recordAuditEvent(tx, { actor: acting.actor, action: 'staff.invited', target: { type: 'staff_member', id: created.id }, after: staffAuditView(created), origin: acting.origin });
      return created;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new Refusal('STAFF_EMAIL_TAKEN', `${email} is already a staff member`);
    throw error;
  }
  return { member, invitation: await prepared!.send() };
}
