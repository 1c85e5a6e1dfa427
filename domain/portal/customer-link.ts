import { randomBytes, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { CustomerLink, type CustomerLinkEntity } from '../../schema/portal/customer-link.entity.ts';
import { Refusal } from '../refusal.ts';

/** A sign-in link lives 15 minutes. */
export const CUSTOMER_LINK_LIFETIME_MS = 15 * 60_000;

const linkHash = (secret: ServerSecret, token: string) => secret.lookupHash(`customer-link:${token}`);
const TOKEN_PATTERN = /^kwc_[A-Za-z0-9_-]{43}$/;

/**
 * A new one-time sign-in link for a customer. The secret travels in the URL's fragment
 * (`#token=…`), which browsers never send to a server, so it stays out of access logs; the
 * portal's page posts it to POST /v1/portal/sessions. Older unused links of the customer stop
 * working: only the newest counts.
 */
export async function issueCustomerLink(tx: EntityManager, secret: ServerSecret, customerId: string, publicUrl: string, now = new Date()) {
  const token = `kwc_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + CUSTOMER_LINK_LIFETIME_MS);
  await tx.execute(`update customer_link set used_at = ? where customer_id = ? and used_at is null`, [now, customerId]);
  await tx.execute(`insert into customer_link (id, customer_id, token_hash, expires_at, used_at, created_at) values (?, ?, ?, ?, null, ?)`, [
    id,
    customerId,
    linkHash(secret, token),
    expiresAt,
    now,
  ]);
  return { id, expiresAt, url: `${publicUrl.replace(/\/$/, '')}/portal/link#token=${token}` };
}

/**
 * The live link a token names, locked for update, or a refusal: LINK_INVALID (unknown),
 * LINK_ALREADY_USED (used, or replaced by a newer one), LINK_EXPIRED.
 */
export async function findLiveCustomerLink(tx: EntityManager, secret: ServerSecret, token: string, now = new Date()): Promise<CustomerLinkEntity> {
  const link = TOKEN_PATTERN.test(token) ? await tx.findOne(CustomerLink, { tokenHash: linkHash(secret, token) }, { populate: ['customer'], lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!link) throw new Refusal('LINK_INVALID', 'This sign-in link is not one we sent. Ask for a new one.');
  if (link.usedAt) throw new Refusal('LINK_ALREADY_USED', 'This sign-in link was already used (or a newer one replaced it). Ask for a new one.');
  if (link.expiresAt <= now) throw new Refusal('LINK_EXPIRED', 'This sign-in link has expired (links last 15 minutes). Ask for a new one.');
  return link;
}
