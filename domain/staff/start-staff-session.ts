import type { EntityManager } from '@mikro-orm/postgresql';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { SessionRecord, SessionStore } from '../sessions/session-store.ts';

export interface StartedSession {
  /** The cookie's secret: set as the cookie, never stored or logged. */
  token: string;
  session: SessionRecord;
}

/**
 * A new session for a member who proved who they are (password and second factor, or SSO):
 * always a new id and secret; the browser's previous session, if any, ends with it.
 */
export async function startStaffSession(
  deps: { em: EntityManager; sessions: SessionStore },
  member: StaffMemberEntity,
  method: 'password' | 'sso',
  origin: RequestOrigin,
  replacing: string | null,
): Promise<StartedSession> {
  return deps.em.fork().transactional(async (tx) => {
    if (replacing) await deps.sessions.revoke(tx, replacing, 'replaced_by_sign_in');
    await deps.sessions.prune(tx);
    const started = await deps.sessions.create(tx, member.id, origin, { method });
    await tx.execute(`update staff_member set last_sign_in_at = now() where id = ?`, [member.id]);
    await recordAuditEvent(tx, {
      actor: { type: 'staff', id: member.id, label: member.email },
      action: 'session.created',
      target: { type: 'staff_session', id: started.session.id },
      after: { staff_member_id: member.id, method, expires_at: started.session.expiresAt.toISOString() },
      origin,
    });
    return started;
  });
}
