import type { HotPathDb, PreparedQuery } from '../../lib/hot-path-db.ts';
import { toDate } from '../../lib/hot-path-db.ts';

/** A key that matched no license but was one's once (a rotation replaced it). */
export interface RetiredKey {
  licenseId: string;
  /** The license's key hash now: what the old key stands for during the overlap. */
  currentKeyHash: string;
  worksUntil: Date;
}

const BY_KEY_HASH: PreparedQuery = {
  name: 'kw_retired_license_key',
  text: `select r.license_id, l.key_hash, r.works_until from retired_license_key r join license l on l.id = r.license_id where r.key_hash = $1`,
};

/**
 * The hot path's second look for a key no license has (one primary-key read, only on that
 * miss): a retired key, or null for a key that never was one.
 */
export async function findRetiredKey(db: HotPathDb, keyHash: string): Promise<RetiredKey | null> {
  const row = (await db.rows<{ license_id: string; key_hash: string; works_until: unknown }>(BY_KEY_HASH, [keyHash]))[0];
  return row ? { licenseId: row.license_id, currentKeyHash: row.key_hash, worksUntil: toDate(row.works_until)! } : null;
}

/** Still inside its overlap window: it answers as the license's current key does. */
export const stillWorks = (retired: RetiredKey, now: Date) => retired.worksUntil.getTime() > now.getTime();

/** What a replaced key answers after its overlap, on validation and on every seat call. */
export const KEY_ROTATED_DETAIL = 'This license key has been replaced by a new one. Enter the new key (it was e-mailed to the license owner).';
