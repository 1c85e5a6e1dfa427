import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StaffLinkPurpose } from '../../schema/staff/staff-link.entity.ts';

/** How long each kind of link lives: the first owner's set-up a day, the others an hour. */
export const LINK_LIFETIME_MS: Record<StaffLinkPurpose, number> = { SETUP: 24 * 3_600_000, INVITATION: 3_600_000, PASSWORD_RESET: 3_600_000 };

export const linkHash = (secret: ServerSecret, token: string) => secret.lookupHash(`staff-link:${token}`);

export interface IssuedLink {
  id: string;
  /** The link itself: shown or e-mailed once, never stored or logged. */
  url: string;
  expiresAt: Date;
}

/**
 * A new one-time link. Its secret travels in the URL's fragment (`#token=…`), which browsers
 * never send to a server, so it stays out of proxy and access logs; the console's page reads
 * it and posts it to /v1/staff-links/redeem. Older unused links of the same purpose for the
 * same member stop working (marked used): only the newest counts.
 */
export async function issueStaffLink(
  em: EntityManager,
  secret: ServerSecret,
  input: { purpose: StaffLinkPurpose; staffId: string | null; createdBy: string; publicUrl: string; now?: Date },
): Promise<IssuedLink> {
  const now = input.now ?? new Date();
  const token = `kwl_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[input.purpose]);
  await em.execute(
    `update staff_link set used_at = ? where purpose = ? and used_at is null and staff_member_id is not distinct from ?`,
    [now, input.purpose, input.staffId],
  );
  await em.execute(
    `insert into staff_link (id, staff_member_id, purpose, token_hash, expires_at, used_at, created_by, created_at) values (?, ?, ?, ?, ?, null, ?, ?)`,
    [id, input.staffId, input.purpose, linkHash(secret, token), expiresAt, input.createdBy.slice(0, 200), now],
  );
  return { id, url: `${input.publicUrl.replace(/\/$/, '')}/admin/link#token=${token}`, expiresAt };
}
