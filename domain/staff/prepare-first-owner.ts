import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { issueStaffLink } from './issue-staff-link.ts';

/**
 * On a start with no staff at all, a new one-time set-up link (24 h) for the first owner, to
 * print in the banner; earlier set-up links stop working. Null once anyone has an account.
 */
export async function prepareFirstOwner(em: EntityManager, secret: ServerSecret, publicUrl: string): Promise<{ url: string; expiresAt: Date } | null> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(727401002)`);
    const [staff] = await tx.execute<{ n: string }[]>(`select count(*) as n from staff_member`);
    if (Number(staff!.n) > 0) return null;
    const link = await issueStaffLink(tx, secret, { purpose: 'SETUP', staffId: null, createdBy: 'system:start', publicUrl });
    return { url: link.url, expiresAt: link.expiresAt };
  });
}
