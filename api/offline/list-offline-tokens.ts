import type { EntityManager } from '@mikro-orm/postgresql';
import { License, OfflineToken } from '../../schema/entities.ts';
import type { OfflineTokenEntity } from '../../schema/offline/offline-token.entity.ts';
import { Problem } from '../http/problem.ts';
import { iso } from '../http/resources.ts';

/** One logged offline token: who issued it, when, for which machine, until when (never the token). */
export function offlineTokenResource(row: OfflineTokenEntity) {
  const ref = (value: unknown) => (typeof value === 'object' && value ? (value as { id: string }).id : (value as string));
  return {
    id: row.id,
    license_id: ref(row.license),
    key_id: ref(row.signingKey),
    token_sha256: row.tokenSha256,
    issued_by: row.issuedBy,
    issued_at: iso(row.issuedAt),
    expires_at: iso(row.expiresAt),
    fingerprint: row.fingerprint ?? null,
    domain: row.domain ?? null,
  };
}

/** Every offline token issued for a license, newest first. */
export async function listOfflineTokens(em: EntityManager, licenseId: string) {
  const fork = em.fork();
  if (!(await fork.count(License, { id: licenseId }))) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
  const rows = await fork.find(OfflineToken, { license: licenseId }, { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: 1000 });
  return { data: rows.map(offlineTokenResource) };
}
