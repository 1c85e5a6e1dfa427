import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { ApiToken, type ApiTokenScope } from '../../schema/auth/api-token.entity.ts';
import { BOOTSTRAP_TOKEN_NAME, BOOTSTRAP_TOKEN_SERVICE } from '../../domain/tokens/bootstrap-token.ts';

export { BOOTSTRAP_TOKEN_NAME };
const TOKEN_PREFIX = 'kwa_';

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(24).toString('base64url');
}

export interface BootstrapResult {
  /** `environment`: ADMIN_TOKEN is in force; `revoked`: it was revoked by staff and stays so; `none`: no ADMIN_TOKEN. */
  source: 'environment' | 'revoked' | 'none';
}

/**
 * ADMIN_TOKEN, for automation: kept as the `bootstrap-admin` service token (every scope), its
 * hash replaced when the variable changes. Staff may revoke it once an owner exists; it then
 * stays revoked across restarts until ADMIN_TOKEN is set to a new value. Without ADMIN_TOKEN
 * no token is made: the first owner is set up by the banner's one-time link.
 */
export async function ensureBootstrapToken(em: EntityManager, secret: ServerSecret, adminToken?: string): Promise<BootstrapResult> {
  if (!adminToken) return { source: 'none' };
  const fork = em.fork();
  const existing = await fork.findOne(ApiToken, { name: BOOTSTRAP_TOKEN_NAME });
  const tokenHash = secret.lookupHash(adminToken);
  if (!existing) {
    await insertIgnoringRace(fork, tokenHash, adminToken.slice(-4));
    return { source: 'environment' };
  }
  if (existing.tokenHash === tokenHash) return { source: existing.revokedAt ? 'revoked' : 'environment' };
  existing.tokenHash = tokenHash;
  existing.hint = adminToken.slice(-4);
  existing.revokedAt = null;
  existing.revokedBy = null;
  await fork.flush();
  return { source: 'environment' };
}

async function insertIgnoringRace(em: EntityManager, tokenHash: string, hint: string): Promise<boolean> {
  const rows = await em.execute(
    `insert into api_token (id, name, token_hash, hint, scopes, service, created_by, created_at) values (?, ?, ?, ?, ?, ?, 'system:start', now())
     on conflict (name) do nothing returning id`,
    [randomUUID(), BOOTSTRAP_TOKEN_NAME, tokenHash, hint, JSON.stringify(['admin'] satisfies ApiTokenScope[]), BOOTSTRAP_TOKEN_SERVICE],
  );
  return rows.length > 0;
}
