import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OidcRoleRule } from '../../lib/identity-config.ts';
import { StaffMember, type StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import { systemActor, type RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import { startStaffSession, type StartedSession } from '../staff/start-staff-session.ts';
import { staffAuditView } from '../staff/staff-view.ts';
import type { OidcIdentity } from './oidc-client.ts';
import { roleForClaims } from './role-for-claims.ts';

/**
 * Signs in the person the identity provider vouched for. Someone new whose claims match a rule
 * gets an account with that role (`sso_managed`); for such accounts the claims keep deciding
 * the role at every sign-in (but never demote the last owner). Accounts made by invitation keep
 * the role owners gave them. A disabled account stays out; no rule matched: SSO_NOT_ALLOWED.
 * The provider handles the second factor, so Keywarden's TOTP is not asked for.
 */
export async function signInWithOidc(
  deps: { em: EntityManager; sessions: SessionStore; rules: OidcRoleRule[] },
  identity: OidcIdentity,
  origin: RequestOrigin,
  replacing: string | null,
): Promise<StartedSession & { member: StaffMemberEntity }> {
  const role = roleForClaims(deps.rules, identity);
  if (!role) throw new Refusal('SSO_NOT_ALLOWED', `${identity.email} matches no rule of OIDC_ROLE_MAPPING (by e-mail domain or group)`);
  const oidc = systemActor('oidc');
  const member = await deps.em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(727401002)`);
    let found = await tx.findOne(StaffMember, { email: identity.email });
    if (!found) {
      found = tx.create(StaffMember, { id: randomUUID(), email: identity.email, name: identity.name ?? identity.email.split('@')[0]!, role, status: 'ACTIVE', ssoManaged: true });
      await tx.flush();
      await recordAuditEvent(tx, { actor: oidc, action: 'staff.created', target: { type: 'staff_member', id: found.id }, reason: 'first single sign-on', after: staffAuditView(found), origin });
      return found;
    }
    if (found.status !== 'ACTIVE') throw new Refusal('ACCOUNT_DISABLED', 'this staff account is disabled; ask an owner');
    if (found.ssoManaged && found.role !== role) {
      const [owners] = await tx.execute<{ n: string }[]>(`select count(*) as n from staff_member where role = 'owner' and status = 'ACTIVE' and id <> ?`, [found.id]);
      if (found.role !== 'owner' || Number(owners!.n) > 0) {
        const before = staffAuditView(found);
        found.role = role;
        await tx.flush();
        await recordAuditEvent(tx, { actor: oidc, action: 'staff.role_changed', target: { type: 'staff_member', id: found.id }, reason: 'identity provider claims', before, after: staffAuditView(found), origin });
      }
    }
    return found;
  });
  const started = await startStaffSession(deps, member, 'sso', origin, replacing);
  return { ...started, member };
}
