import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../../lib/roles.ts';
import { StaffMember, type StaffMemberEntity, type StaffStatus } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { Acting } from './staff-deps.ts';
import { staffAuditView } from './staff-view.ts';

export interface StaffChange {
  name?: string;
  role?: Role;
  status?: StaffStatus;
  reason?: string | null;
}

/**
 * Renames a member, changes their role, disables or enables them. The last active owner can be
 * neither demoted nor disabled (LAST_OWNER). Disabling ends their sessions at once; their
 * tokens stop working with the account. A role change takes effect on their next request.
 */
export async function updateStaffMember(deps: { em: EntityManager; sessions: SessionStore }, memberId: string, change: StaffChange, acting: Acting): Promise<StaffMemberEntity> {
  return deps.em.fork().transactional(async (tx) => {
    // Owners are counted under a lock, so two owners demoting each other cannot both succeed.
    await tx.execute(`select pg_advisory_xact_lock(727401002)`);
    const member = await tx.findOne(StaffMember, { id: memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!member) throw new Refusal('STAFF_NOT_FOUND', `no staff member with id ${memberId}`);
    const before = staffAuditView(member);
    const losesOwner = member.role === 'owner' && member.status === 'ACTIVE' && ((change.role && change.role !== 'owner') || change.status === 'DISABLED');
    if (losesOwner) {
      const [others] = await tx.execute<{ n: string }[]>(`select count(*) as n from staff_member where role = 'owner' and status = 'ACTIVE' and id <> ?`, [member.id]);
      if (Number(others!.n) === 0) throw new Refusal('LAST_OWNER', 'this is the last active owner: make another member owner first');
    }
    if (change.name !== undefined) member.name = change.name.trim();
    if (change.role !== undefined) member.role = change.role;
    if (change.status !== undefined) member.status = change.status;
    await tx.flush();
    const after = staffAuditView(member);
    let sessionsEnded: string[] = [];
    if (before.status === 'ACTIVE' && member.status === 'DISABLED') sessionsEnded = await deps.sessions.revokeAll(tx, member.id, 'account_disabled');
    const action = before.status !== after.status ? (member.status === 'DISABLED' ? 'staff.disabled' : 'staff.enabled') : before.role !== after.role ? 'staff.role_changed' : 'staff.updated';
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action,
      target: { type: 'staff_member', id: member.id },
      reason: change.reason ?? null,
      before,
      after: sessionsEnded.length ? { ...after, sessions_ended: sessionsEnded.length } : after,
      origin: acting.origin,
    });
    return member;
  });
}
