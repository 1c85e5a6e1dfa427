import type { Context } from 'koa';
import type { SessionRecord } from '../../domain/sessions/session-store.ts';
import { readIdentitySettings } from '../../domain/staff/identity-settings.ts';
import { ROLE_SCOPES } from '../../lib/roles.ts';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import type { IdentityServices } from '../auth/identity-services.ts';

/**
 * What a signed-in browser needs to know about its session: who, which scopes (for showing
 * only the actions they may take), the CSRF token to send with every write, and when the
 * session ends. While owners require two-factor and the member has none, the scopes are empty
 * until they enrol.
 */
export async function signedInBody(identity: IdentityServices, member: StaffMemberEntity, session: SessionRecord, token: string) {
  const settings = await readIdentitySettings(identity.staff.em.fork());
  const enrolmentRequired = settings.requireTwoFactor && !member.totpEnabledAt && session.extra.method !== 'sso';
  return {
    session_id: session.id,
    staff: { id: member.id, email: member.email, name: member.name, role: member.role },
    scopes: enrolmentRequired ? [] : [...ROLE_SCOPES[member.role]],
    csrf_token: identity.staffSessions.store.csrfToken(token),
    expires_at: session.expiresAt.toISOString(),
    idle_expires_at: session.idleExpiresAt.toISOString(),
    two_factor_enrolment_required: enrolmentRequired,
  };
}

/** The id of the session the browser holds now (any state): replaced on sign-in. */
export async function heldSessionId(identity: IdentityServices, ctx: Context): Promise<string | null> {
  const held = await identity.staffSessions.lookup(ctx);
  return held && held.found.state !== 'UNKNOWN' ? held.found.session.id : null;
}
