import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { ApiToken, type ApiTokenEntity } from '../../schema/auth/api-token.entity.ts';
import { grants, ROLE_SCOPES, type Scope } from '../../lib/roles.ts';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';

export type TokenAuthentication =
  | { ok: true; token: ApiTokenEntity; owner: StaffMemberEntity | null; scopes: Scope[] }
  | { ok: false; reason: 'UNKNOWN' | 'EXPIRED' | 'OWNER_DISABLED' };

/**
 * Resolves a bearer token. A staff member's token holds its own scopes only as far as the
 * member's role still grants them, and stops when the member is disabled. `last_used_at` is
 * written at most once a minute.
 */
export async function authenticateApiToken(em: EntityManager, secret: ServerSecret, raw: string, now = new Date()): Promise<TokenAuthentication> {
  if (raw.length < 24 || raw.length > 200) return { ok: false, reason: 'UNKNOWN' };
  const fork = em.fork();
  const token = await fork.findOne(ApiToken, { tokenHash: secret.lookupHash(raw), revokedAt: null }, { populate: ['staffMember'] });
  if (!token) return { ok: false, reason: 'UNKNOWN' };
  if (token.expiresAt && token.expiresAt <= now) return { ok: false, reason: 'EXPIRED' };
  const owner = token.staffMember ?? null;
  if (owner && owner.status !== 'ACTIVE') return { ok: false, reason: 'OWNER_DISABLED' };
  const scopes = owner ? token.scopes.filter((scope) => grants(ROLE_SCOPES[owner.role], scope)) : [...token.scopes];
  await fork.execute(`update api_token set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)`, [now, token.id, new Date(now.getTime() - 60_000)]);
  return { ok: true, token, owner, scopes };
}
