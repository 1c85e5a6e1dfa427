import type { EntityManager } from '@mikro-orm/postgresql';

/** How a license is used: what the account owner weighs a renewal against. */
export interface UsageMetrics {
  seatsInUse: number;
  /** Seats in use over the seat limit; null for unlimited seats. */
  seatUtilization: number | null;
  activations30d: number;
  activations90d: number;
  validations30d: number;
  validations90d: number;
}

/**
 * Reads the usage of a license: live seats, activations first seen in the last 30 and 90
 * days, and validations counted per day (license_validation_day) over the same windows.
 */
export async function readUsageMetrics(em: EntityManager, licenseId: string, seatLimit: number | null): Promise<UsageMetrics> {
  const [row] = await em.execute<Record<string, string>[]>(
    `select
       (select count(*) from activation where license_id = ? and deactivated_at is null and (lease_expires_at is null or lease_expires_at > now())) as seats,
       (select count(*) from activation where license_id = ? and first_seen_at > now() - interval '30 days') as a30,
       (select count(*) from activation where license_id = ? and first_seen_at > now() - interval '90 days') as a90,
       (select coalesce(sum(count), 0) from license_validation_day where license_id = ? and day > current_date - 30) as v30,
       (select coalesce(sum(count), 0) from license_validation_day where license_id = ? and day > current_date - 90) as v90`,
    [licenseId, licenseId, licenseId, licenseId, licenseId],
  );
  const seatsInUse = Number(row!.seats);
  return {
    seatsInUse,
    seatUtilization: seatLimit ? Math.round((seatsInUse / seatLimit) * 1000) / 1000 : null,
    activations30d: Number(row!.a30),
    activations90d: Number(row!.a90),
    validations30d: Number(row!.v30),
    validations90d: Number(row!.v90),
  };
}
