import type { ApiTokenEntity } from '../../schema/auth/api-token.entity.ts';
import type { AuditEventEntity } from '../../schema/audit/audit-event.entity.ts';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import type { SessionRecord } from '../../domain/sessions/session-store.ts';
import type { SentLink } from '../../domain/staff/send-staff-link.ts';
import { iso } from '../http/resources.ts';

/** A staff member as the API shows them: never a password, a hash or a TOTP secret. */
export function staffResource(member: StaffMemberEntity) {
  return {
    id: member.id,
    email: member.email,
    name: member.name,
    role: member.role,
    status: member.status,
    password_set: Boolean(member.passwordHash),
    two_factor_enabled: Boolean(member.totpEnabledAt),
    sso_managed: member.ssoManaged,
    last_sign_in_at: iso(member.lastSignInAt),
    created_at: iso(member.createdAt)!,
    updated_at: iso(member.updatedAt)!,
  };
}

/** A session as listed: where and when, never its secret. */
export function sessionResource(session: SessionRecord, currentId?: string) {
  return {
    id: session.id,
    staff_member_id: session.ownerId,
    method: String(session.extra.method ?? 'password'),
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    idle_expires_at: session.idleExpiresAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
    current: session.id === currentId,
  };
}

/** A token as listed: its name and last four characters, never the token or its hash. */
export function apiTokenResource(token: ApiTokenEntity) {
  const owner = token.staffMember as { id: string; email?: string } | null | undefined;
  return {
    id: token.id,
    name: token.name,
    hint: token.hint ? `kwa_…${token.hint}` : null,
    scopes: token.scopes,
    staff_member_id: owner?.id ?? null,
    service: token.service ?? null,
    created_by: token.createdBy ?? null,
    created_at: iso(token.createdAt)!,
    last_used_at: iso(token.lastUsedAt),
    expires_at: iso(token.expiresAt),
    revoked_at: iso(token.revokedAt),
    revoked_by: token.revokedBy ?? null,
  };
}

export function auditEventResource(event: AuditEventEntity) {
  const license = event.license as { id: string } | null | undefined;
  return {
    id: event.id,
    actor: event.actor,
    actor_label: event.actorLabel ?? null,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId ?? null,
    license_id: license?.id ?? null,
    reason: event.reason ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    ip: event.ip ?? null,
    user_agent: event.userAgent ?? null,
    created_at: iso(event.createdAt)!,
  };
}

/** An invitation or reset link: when it expires, whether it was e-mailed, and the link itself only if not. */
export function linkResource(link: SentLink) {
  return {
    expires_at: link.expiresAt.toISOString(),
    delivery: link.delivery.status,
    delivery_detail: link.delivery.status === 'SENT' ? null : link.delivery.reason,
    link: link.url,
  };
}
