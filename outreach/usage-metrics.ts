import type { EntityManager } from '@mikro-orm/postgresql';

/** Whether validations grow or shrink: the last 30 days against the 30 before (±15% is steady). */
export type ValidationTrend = 'rising' | 'steady' | 'falling' | 'none';

/** How a license is used: what the account owner weighs a renewal against. */
export interface UsageMetrics {
  seatsInUse: number;
  /** Seats in use over the seat limit; null for unlimited seats. */
  seatUtilization: number | null;
  activations30d: number;
  activations90d: number;
  /** Activation frequency: new activations per month, averaged over the last 90 days. */
  activationsPerMonth: number;
  validations30d: number;
  validations90d: number;
  /** Validations 31–60 days ago: the base of the trend. */
  validationsPrevious30d: number;
  /** (last 30 − previous 30) / previous 30; null when the previous 30 days had none. */
  validationChange: number | null;
  validationTrend: ValidationTrend;
  /** Validations per week over the last 12 weeks, the oldest first (the trend as a sparkline). */
  validationsWeekly: number[];
}

const STEADY = 0.15;

export function validationTrend(last: number, previous: number): { change: number | null; trend: ValidationTrend } {
  if (last === 0 && previous === 0) return { change: null, trend: 'none' };
  if (previous === 0) return { change: null, trend: 'rising' };
  const change = Math.round(((last - previous) / previous) * 1000) / 1000;
  return { change, trend: change > STEADY ? 'rising' : change < -STEADY ? 'falling' : 'steady' };
}

/**
 * Reads the usage of a license: live seats, activations first seen in the last 30 and 90
 * days, and validations counted per day (license_validation_day): the last 30 and 90 days, the
 * 30 before the last 30 (the trend), and each of the last 12 weeks.
 */
export async function readUsageMetrics(em: EntityManager, licenseId: string, seatLimit: number | null): Promise<UsageMetrics> {
  const [row] = await em.execute<Record<string, string>[]>(
    `select
       (select count(*) from activation where license_id = ? and deactivated_at is null and (lease_expires_at is null or lease_expires_at > now())) as seats,
       (select count(*) from activation where license_id = ? and first_seen_at > now() - interval '30 days') as a30,
       (select count(*) from activation where license_id = ? and first_seen_at > now() - interval '90 days') as a90,
       (select coalesce(sum(count), 0) from license_validation_day where license_id = ? and day > current_date - 30) as v30,
       (select coalesce(sum(count), 0) from license_validation_day where license_id = ? and day > current_date - 90) as v90,
       (select coalesce(sum(count), 0) from license_validation_day where license_id = ? and day > current_date - 60 and day <= current_date - 30) as vprev,
       (select array_to_string(array_agg(coalesce(w.n, 0) order by k.week), ',')
          from generate_series(0, 11) as k(week)
          left join (select (current_date - day) / 7 as week, sum(count) as n from license_validation_day
                      where license_id = ? and day > current_date - 84 group by 1) w on w.week = 11 - k.week) as weekly`,
    [licenseId, licenseId, licenseId, licenseId, licenseId, licenseId, licenseId],
  );
  const seatsInUse = Number(row!.seats);
  const [validations30d, validationsPrevious30d] = [Number(row!.v30), Number(row!.vprev)];
  const trend = validationTrend(validations30d, validationsPrevious30d);
  return {
    seatsInUse,
    seatUtilization: seatLimit ? Math.round((seatsInUse / seatLimit) * 1000) / 1000 : null,
    activations30d: Number(row!.a30),
    activations90d: Number(row!.a90),
    activationsPerMonth: Math.round((Number(row!.a90) / 3) * 10) / 10,
    validations30d,
    validations90d: Number(row!.v90),
    validationsPrevious30d,
    validationChange: trend.change,
    validationTrend: trend.trend,
    validationsWeekly: String(row!.weekly).split(',').map(Number),
  };
}
