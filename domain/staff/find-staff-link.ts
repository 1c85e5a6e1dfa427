import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { StaffLink, type StaffLinkEntity } from '../../schema/staff/staff-link.entity.ts';
import { Refusal } from '../refusal.ts';
import { linkHash } from './issue-staff-link.ts';

/**
 * The live link a token names (locked for update when `lock`), or a refusal: LINK_INVALID
 * (unknown), LINK_ALREADY_USED (used or replaced by a newer one), LINK_EXPIRED.
 */
export async function findLiveStaffLink(em: EntityManager, secret: ServerSecret, token: string, options: { lock?: boolean; now?: Date } = {}): Promise<StaffLinkEntity> {
  const now = options.now ?? new Date();
  const link = /^kwl_[A-Za-z0-9_-]{43}$/.test(token)
    ? await em.findOne(StaffLink, { tokenHash: linkHash(secret, token) }, { populate: ['staffMember'], ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) })
    : null;
  if (!link) throw new Refusal('LINK_INVALID', 'this link is not one Keywarden issued; ask for a new one');
  if (link.usedAt) throw new Refusal('LINK_ALREADY_USED', 'this link was already used (or a newer one replaced it); ask for a new one');
  if (link.expiresAt <= now) throw new Refusal('LINK_EXPIRED', `this link expired at ${link.expiresAt.toISOString()}; ask for a new one`);
  return link;
}
