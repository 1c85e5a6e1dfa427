import type { ApiTokenEntity } from '../../schema/auth/api-token.entity.ts';

/** What the audit trail records of a token: never the token or its hash. */
export function apiTokenAuditView(token: ApiTokenEntity): Record<string, unknown> {
  const owner = token.staffMember as { id: string } | null | undefined;
  return {
    name: token.name,
    hint: token.hint ?? null,
    scopes: token.scopes,
    staff_member_id: owner?.id ?? null,
    service: token.service ?? null,
    expires_at: token.expiresAt?.toISOString() ?? null,
    revoked_at: token.revokedAt?.toISOString() ?? null,
  };
}
