import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { StaffMember, type StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import { Refusal } from '../refusal.ts';
import { SessionStore } from '../sessions/session-store.ts';
import { assertStrongPassword } from './assert-strong-password.ts';
import { findLiveStaffLink } from './find-staff-link.ts';
import { hashPassword } from './password-hash.ts';
import { normaliseEmail, staffAuditView } from './staff-view.ts';

export interface RedeemInput {
  token: string;
  password: string;
  /** The first owner's e-mail and name (set-up links only). */
  email?: string;
  name?: string;
}

export interface RedeemDeps {
  em: EntityManager;
  secret: ServerSecret;
  sessions: SessionStore;
  passwordMinLength: number;
}

/**
 * Uses a one-time link: a set-up link creates the first owner, an invitation sets the new
 * member's password, a reset replaces a forgotten one and ends every session of the member.
 * The link is locked and marked used in the same transaction, so it works exactly once.
 * Nobody is signed in by it: the member signs in next, with the second factor if they have one.
 */
export async function redeemStaffLink(deps: RedeemDeps, input: RedeemInput, origin: RequestOrigin): Promise<{ member: StaffMemberEntity; purpose: string }> {
  return deps.em.fork().transactional(async (tx) => {
    const link = await findLiveStaffLink(tx, deps.secret, input.token, { lock: true });
    let member: StaffMemberEntity;
    let before: Record<string, unknown> | null = null;
    if (link.purpose === 'SETUP') {
      await tx.execute(`select pg_advisory_xact_lock(727401002)`);
      const [owners] = await tx.execute<{ n: string }[]>(`select count(*) as n from staff_member where role = 'owner'`);
      if (Number(owners!.n) > 0) throw new Refusal('SETUP_ALREADY_DONE', 'Keywarden already has an owner; sign in instead');
      if (!input.email || !input.name) throw new Refusal('INVALID_REQUEST', 'email and name are required to set up the first owner');
      const email = normaliseEmail(input.email);
      assertStrongPassword(input.password, { minLength: deps.passwordMinLength, email });
      member = tx.create(StaffMember, { id: randomUUID(), email, name: input.name.trim(), role: 'owner', status: 'ACTIVE', passwordHash: await hashPassword(input.password), passwordChangedAt: new Date() });
    } else {
      member = link.staffMember!;
      if (member.status !== 'ACTIVE') throw new Refusal('ACCOUNT_DISABLED', 'this staff account is disabled');
      assertStrongPassword(input.password, { minLength: deps.passwordMinLength, email: member.email });
      before = { ...staffAuditView(member), password_set: Boolean(member.passwordHash) };
      member.passwordHash = await hashPassword(input.password);
      member.passwordChangedAt = new Date();
    }
    link.usedAt = new Date();
    await tx.flush();
    if (link.purpose === 'PASSWORD_RESET') await deps.sessions.revokeAll(tx, member.id, 'password_reset');
    const action = { SETUP: 'staff.created', INVITATION: 'staff.invitation_accepted', PASSWORD_RESET: 'staff.password_reset' }[link.purpose];
    await recordAuditEvent(tx, {
      actor: { type: 'staff', id: member.id, label: member.email },
      action,
      target: { type: 'staff_member', id: member.id },
      reason: link.purpose === 'SETUP' ? 'first owner, by the set-up link' : `one-time link ${link.id}`,
      before,
      after: { ...staffAuditView(member), password_set: true },
      origin,
    });
    return { member, purpose: link.purpose };
  });
}
