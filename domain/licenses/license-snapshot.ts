import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseStatus } from '../../schema/license/license-status.ts';
import { effectivePolicy, POLICY_DEFAULTS, type LicensePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { toDate, type HotPathDb, type PreparedQuery } from '../../lib/hot-path-db.ts';

/** Everything validation and activation need to know about one license, in one row. */
export interface LicenseSnapshot {
  id: string;
  status: LicenseStatus;
  statusReason: string | null;
  planId: string;
  planCode: string;
  planName: string;
  tier: string;
  productCode: string;
  customerEmail: string | null;
  expiresAt: Date | null;
  trialEndsAt: Date | null;
  overageStartedAt: Date | null;
  version: number;
  policy: LicensePolicy;
  /**
   * keywarden_hot_path.license_state() when read: what an activation checks under the row lock to know
   * that the standing and locks judged on this snapshot still hold.
   */
  stateHash?: string;
}

/** keywarden_hot_path.license_snapshot() (schema/migrations/Migration20261122030000_hot_path.ts) selects the same columns. */
const SELECT = `
  select l.id, l.status, l.status_reason, l.overrides, l.expires_at, l.trial_ends_at, l.overage_started_at, l.version,
         p.id as plan_id, p.code as plan_code, p.name as plan_name, p.tier, pr.code as product_code, c.email as customer_email,
         p.features, p.seat_limit, p.seat_model, p.overage_seats, p.overage_days, p.term_kind, p.term_days, p.term_ends_at,
         p.trial_days, p.expiry_grace_days, p.payment_grace_days, p.reminder_offsets_days, p.cache_ttl_seconds,
         p.trial_cache_ttl_seconds, p.allowed_domains, p.allowed_cidrs, p.deactivation_limit, p.deactivation_period_days,
         p.lease_seconds, p.license_file_limit, keywarden_hot_path.license_state(l, p, pr.code) as state_hash
    from license l
    join plan p on p.id = l.plan_id
    join product pr on pr.id = p.product_id
    left join customer c on c.id = l.customer_id`;

type Row = Record<string, any>;

const date = toDate;

function toSnapshot(row: Row): LicenseSnapshot {
  const planPolicy: LicensePolicy = {
    features: row.features,
    seatLimit: row.seat_limit,
    seatModel: row.seat_model,
    overageSeats: row.overage_seats,
    overageDays: row.overage_days,
    termKind: row.term_kind,
    termDays: row.term_days,
    termEndsAt: row.term_ends_at ? new Date(row.term_ends_at).toISOString() : null,
    trialDays: row.trial_days,
    expiryGraceDays: row.expiry_grace_days,
    paymentGraceDays: row.payment_grace_days,
    reminderOffsetsDays: row.reminder_offsets_days,
    cacheTtlSeconds: row.cache_ttl_seconds,
    trialCacheTtlSeconds: row.trial_cache_ttl_seconds,
    allowedDomains: row.allowed_domains,
    allowedCidrs: row.allowed_cidrs,
    deactivationLimit: row.deactivation_limit,
    deactivationPeriodDays: row.deactivation_period_days,
    leaseSeconds: row.lease_seconds,
    // The hot path's license_snapshot() leaves it out: validation never needs it.
    licenseFileLimit: row.license_file_limit ?? POLICY_DEFAULTS.licenseFileLimit,
  };
  return {
    id: row.id,
    status: row.status,
    statusReason: row.status_reason,
    planId: row.plan_id,
    planCode: row.plan_code,
    planName: row.plan_name,
    tier: row.tier,
    productCode: row.product_code,
    customerEmail: row.customer_email ?? null,
    expiresAt: date(row.expires_at),
    trialEndsAt: date(row.trial_ends_at),
    overageStartedAt: date(row.overage_started_at),
    version: row.version,
    policy: effectivePolicy(planPolicy, row.overrides as PolicyOverrides),
    stateHash: row.state_hash,
  };
}

/** Loads by key hash; with `lock`, inside a transaction, the license row is locked (not its plan). */
export async function loadSnapshotByKeyHash(em: EntityManager, keyHash: string, options: { lock?: boolean } = {}) {
  const rows = await em.execute<Row[]>(`${SELECT} where l.key_hash = ?${options.lock ? ' for update of l' : ''}`, [keyHash]);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

export async function loadSnapshotById(em: EntityManager, id: string) {
  const rows = await em.execute<Row[]>(`${SELECT} where l.id = ?`, [id]);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

/** keywarden_hot_path.license_snapshot(): the same row as JSON, with its seats in use, read through a prepared statement. */
const BY_KEY_HASH: PreparedQuery = { name: 'kw_license_snapshot', text: `select keywarden_hot_path.license_snapshot($1, $2) as s` };

/**
 * The hot path's read: the snapshot and, in the same statement, its seats in use as its seat
 * model counts them (undefined should overrides make the model differ from the one counted).
 */
export async function readSnapshotWithSeats(db: HotPathDb, keyHash: string, now: Date): Promise<{ snapshot: LicenseSnapshot; seatsInUse: number | undefined } | null> {
  const row = (await db.rows<{ s: Row | null }>(BY_KEY_HASH, [keyHash, now]))[0]?.s;
  if (!row) return null;
  const snapshot = toSnapshot(row);
  return { snapshot, seatsInUse: row.seats_model === snapshot.policy.seatModel ? row.seats_in_use : undefined };
}

export async function readSnapshot(db: HotPathDb, keyHash: string): Promise<LicenseSnapshot | null> {
  return (await readSnapshotWithSeats(db, keyHash, new Date()))?.snapshot ?? null;
}
