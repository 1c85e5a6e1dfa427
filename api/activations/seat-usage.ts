import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeatModel } from '../../schema/plan/plan-policy.ts';

/**
 * Seats in use, as the seat model counts them: live machines (DEVICE), distinct users among
 * live activations (NAMED_USER), or unexpired leases (CONCURRENT).
 */
export async function countSeatsInUse(em: EntityManager, licenseId: string, model: SeatModel, now: Date): Promise<number> {
  const sql = {
    DEVICE: `select count(*)::int as n from activation where license_id = ? and deactivated_at is null`,
    NAMED_USER: `select count(distinct user_id)::int as n from activation where license_id = ? and deactivated_at is null`,
    CONCURRENT: `select count(*)::int as n from activation where license_id = ? and deactivated_at is null and lease_expires_at > ?`,
  }[model];
  const params = model === 'CONCURRENT' ? [licenseId, now] : [licenseId];
  const rows = await em.execute<{ n: number }[]>(sql, params);
  return rows[0]?.n ?? 0;
}

export interface LiveActivation {
  id: string;
  fingerprint: string;
  userId: string | null;
  leaseExpiresAt: Date | null;
}

export async function findLiveActivation(em: EntityManager, licenseId: string, fingerprint: string): Promise<LiveActivation | null> {
  const rows = await em.execute<Record<string, any>[]>(
    `select id, fingerprint, user_id, lease_expires_at from activation
      where license_id = ? and fingerprint = ? and deactivated_at is null`,
    [licenseId, fingerprint],
  );
  const row = rows[0];
  return row ? { id: row.id, fingerprint: row.fingerprint, userId: row.user_id, leaseExpiresAt: row.lease_expires_at ? new Date(row.lease_expires_at) : null } : null;
}

/** Whether a live activation already holds a seat for this user (NAMED_USER model). */
export async function userHoldsSeat(em: EntityManager, licenseId: string, userId: string): Promise<boolean> {
  const rows = await em.execute<unknown[]>(
    `select 1 from activation where license_id = ? and user_id = ? and deactivated_at is null limit 1`,
    [licenseId, userId],
  );
  return rows.length > 0;
}
