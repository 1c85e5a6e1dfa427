import type { EntityManager } from '@mikro-orm/postgresql';
import { BOOTSTRAP_TOKEN_NAME } from './bootstrap-token.ts';
import { ApiToken, type ApiTokenEntity } from '../../schema/auth/api-token.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { apiTokenAuditView } from './api-token-view.ts';

/**
 * Revokes a token at once (the row stays, for the audit trail and the list). The bootstrap
 * token can go only once an active staff owner exists (NO_STAFF_OWNER): until then it is the
 * only way in.
 */
export async function revokeApiToken(em: EntityManager, tokenId: string, acting: Acting, reason: string | null): Promise<ApiTokenEntity> {
  return em.fork().transactional(async (tx) => {
    const token = await tx.findOne(ApiToken, { id: tokenId });
    if (!token) throw new Refusal('API_TOKEN_NOT_FOUND', `no API token with id ${tokenId}`);
    if (token.revokedAt) return token;
    if (token.name === BOOTSTRAP_TOKEN_NAME) {
      const [owners] = await tx.execute<{ n: string }[]>(`select count(*) as n from staff_member where role = 'owner' and status = 'ACTIVE'`);
      if (Number(owners!.n) === 0) throw new Refusal('NO_STAFF_OWNER', 'the bootstrap token is the only way in until a staff owner exists: set one up first');
    }
    const before = apiTokenAuditView(token);
    token.revokedAt = new Date();
    token.revokedBy = acting.label;
    await tx.flush();
    await recordAuditEvent(tx, { actor: acting.actor, action: 'api_token.revoked', target: { type: 'api_token', id: token.id }, reason, before, after: apiTokenAuditView(token), origin: acting.origin });
    return token;
  });
}
