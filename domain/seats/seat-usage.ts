import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeatModel } from '../../schema/plan/plan-policy.ts';
import { toDate, type HotPathDb, type PreparedQuery } from '../../lib/hot-path-db.ts';

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

// The same look-ups through keywarden_hot_path (schema/migrations/Migration20261122030000_hot_path.ts), for validation.

const LIVE_ACTIVATION: PreparedQuery = { name: 'kw_live_activation', text: `select * from keywarden_hot_path.live_activation($1, $2)` };
const USER_HOLDS_SEAT: PreparedQuery = { name: 'kw_user_holds_seat', text: `select keywarden_hot_path.user_holds_seat($1, $2) as held` };
const SEATS_IN_USE: PreparedQuery = { name: 'kw_seats_in_use', text: `select keywarden_hot_path.seats_in_use($1, $2, $3) as n` };

export async function readLiveActivation(db: HotPathDb, licenseId: string, fingerprint: string): Promise<LiveActivation | null> {
  const row = (await db.rows<Record<string, any>>(LIVE_ACTIVATION, [licenseId, fingerprint]))[0];
  return row ? { id: row.id, fingerprint: row.fingerprint, userId: row.user_id, leaseExpiresAt: toDate(row.lease_expires_at) } : null;
}

export async function readUserHoldsSeat(db: HotPathDb, licenseId: string, userId: string): Promise<boolean> {
  return (await db.rows<{ held: boolean }>(USER_HOLDS_SEAT, [licenseId, userId]))[0]?.held === true;
}

export async function readSeatsInUse(db: HotPathDb, licenseId: string, model: SeatModel, now: Date): Promise<number> {
  return (await db.rows<{ n: number }>(SEATS_IN_USE, [licenseId, model, now]))[0]?.n ?? 0;
}
