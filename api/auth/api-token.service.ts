import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { ApiToken, type ApiTokenEntity, type ApiTokenScope } from '../../schema/auth/api-token.entity.ts';

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap-admin';
const TOKEN_PREFIX = 'kwa_';

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(24).toString('base64url');
}

export interface BootstrapResult {
  /** The raw token, only when it was generated just now (print it once). */
  generatedToken?: string;
  source: 'environment' | 'generated' | 'existing';
}

/**
 * Makes sure an admin token exists. ADMIN_TOKEN from the environment wins (its hash replaces
 * the stored one); otherwise one is generated on first start and only its hash is kept.
 */
export async function ensureBootstrapToken(em: EntityManager, secret: ServerSecret, adminToken?: string): Promise<BootstrapResult> {
  const fork = em.fork();
  const existing = await fork.findOne(ApiToken, { name: BOOTSTRAP_TOKEN_NAME });
  if (adminToken) {
    const tokenHash = secret.lookupHash(adminToken);
    if (existing) {
      if (existing.tokenHash !== tokenHash || existing.revokedAt) {
        existing.tokenHash = tokenHash;
        existing.revokedAt = null;
        await fork.flush();
      }
    } else {
      await insertIgnoringRace(fork, tokenHash);
    }
    return { source: 'environment' };
  }
  if (existing) return { source: 'existing' };
  const token = generateApiToken();
  const inserted = await insertIgnoringRace(fork, secret.lookupHash(token));
  return inserted ? { generatedToken: token, source: 'generated' } : { source: 'existing' };
}

async function insertIgnoringRace(em: EntityManager, tokenHash: string): Promise<boolean> {
  const rows = await em.execute(
    `insert into api_token (id, name, token_hash, scopes, created_at) values (?, ?, ?, ?, now())
     on conflict (name) do nothing returning id`,
    [randomUUID(), BOOTSTRAP_TOKEN_NAME, tokenHash, JSON.stringify(['admin'] satisfies ApiTokenScope[])],
  );
  return rows.length > 0;
}

/** Resolves a bearer token to its (unrevoked) API token row. */
export async function findActiveToken(em: EntityManager, secret: ServerSecret, rawToken: string): Promise<ApiTokenEntity | null> {
  if (!rawToken.startsWith(TOKEN_PREFIX) && rawToken.length < 24) return null;
  return em.fork().findOne(ApiToken, { tokenHash: secret.lookupHash(rawToken), revokedAt: null });
}
