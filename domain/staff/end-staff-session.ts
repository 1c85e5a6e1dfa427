import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from './staff-deps.ts';
import type { SessionStore } from '../sessions/session-store.ts';

/**
 * Ends one staff session (sign-out, or revoked from the sessions list). `ownerId` restricts it
 * to that member's own sessions; an unknown or foreign id is SESSION_NOT_FOUND. `note`: why,
 * in the words of whoever ended it (the audit row's reason).
 */
export async function endStaffSession(
  deps: { em: EntityManager; sessions: SessionStore },
  sessionId: string,
  acting: Acting,
  options: { ownerId?: string; reason: string; note?: string | null },
): Promise<void> {
  await deps.em.fork().transactional(async (tx) => {
    const session = await deps.sessions.find(tx, sessionId);
    if (!session || (options.ownerId && session.ownerId !== options.ownerId)) throw new Refusal('SESSION_NOT_FOUND', `no session with id ${sessionId}`);
    if (!(await deps.sessions.revoke(tx, session.id, options.reason))) return;
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: options.reason === 'signed_out' ? 'session.signed_out' : 'session.revoked',
      target: { type: 'staff_session', id: session.id },
      reason: options.note ?? null,
      after: { staff_member_id: session.ownerId, reason: options.reason },
      origin: acting.origin,
    });
  });
}
