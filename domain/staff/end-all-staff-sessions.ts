import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from './staff-deps.ts';
import type { SessionStore } from '../sessions/session-store.ts';

/** Ends every session of a member ("sign out everywhere"); answers how many ended. `reason`: why, for the audit row. */
export async function endAllStaffSessions(deps: { em: EntityManager; sessions: SessionStore }, memberId: string, acting: Acting, reason: string | null = null): Promise<number> {
  return deps.em.fork().transactional(async (tx) => {
    const [member] = await tx.execute(`select id from staff_member where id = ?`, [memberId]);
    if (!member) throw new Refusal('STAFF_NOT_FOUND', `no staff member with id ${memberId}`);
    const ended = await deps.sessions.revokeAll(tx, memberId, 'signed_out_everywhere');
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'staff.signed_out_everywhere',
      target: { type: 'staff_member', id: memberId },
      reason,
      after: { sessions_ended: ended.length },
      origin: acting.origin,
    });
    return ended.length;
  });
}
