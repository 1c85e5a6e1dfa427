import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseSnapshot } from '../licenses/license-snapshot.ts';

/**
 * Opens the overage window when seats first go beyond the limit, and closes it when they
 * are back within it, so a later overage gets its full grace again.
 */
export async function updateOverageWindow(tx: EntityManager, license: Pick<LicenseSnapshot, 'id' | 'overageStartedAt' | 'policy'>, seatsInUse: number, now: Date) {
  const limit = license.policy.seatLimit;
  const over = limit !== null && seatsInUse > limit;
  if (over && !license.overageStartedAt) {
    await tx.execute(`update license set overage_started_at = ?, updated_at = now() where id = ?`, [now, license.id]);
  } else if (!over && license.overageStartedAt) {
    await tx.execute(`update license set overage_started_at = null, updated_at = now() where id = ?`, [license.id]);
  }
}
