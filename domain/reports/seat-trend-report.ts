import type { EntityManager } from '@mikro-orm/postgresql';
import { scopedLicenses, type ReportScope } from './report-scope.ts';

export interface SeatPoint {
  day: string;
  licenses: number;
  seatsInUse: number;
  /** Σ of the limited licenses' limits; null when every license that day was unlimited. */
  seatLimit: number | null;
}

export interface SeatTrendReport {
  plans: { product: string; plan: string; tier: string; points: SeatPoint[] }[];
  licenses: { licenseId: string; keyHint: string; plan: string; points: SeatPoint[] }[];
}

/** Licenses charted one by one when none is asked for: those with the most seats in use on the range's last snapshot. */
export const TREND_LICENSES = 10;

/**
 * Seats in use per day from the daily snapshots (license_seat_day), summed per plan, and per
 * license for the license asked for (or the TREND_LICENSES busiest). Days without a snapshot
 * are absent, not zero.
 */
export async function seatTrendReport(em: EntityManager, scope: ReportScope, licenseId?: string): Promise<SeatTrendReport> {
  const scoped = scopedLicenses(scope);
  const base = `with s as (${scoped.sql}), d as (
      select s.id, s.product_code, s.plan_code, s.tier, d.day, d.seats_in_use, d.seat_limit
        from license_seat_day d join s on s.id = d.license_id where d.day between ?::date and ?::date)`;
  const params = [...scoped.params, scope.from, scope.to];
  const fork = em.fork();
  const planRows = await fork.execute<{ product: string; plan: string; tier: string; day: string; licenses: string; seats: string; seat_limit: string | null }[]>(
    `${base} select product_code as product, plan_code as plan, tier, day::text as day, count(*) as licenses, sum(seats_in_use) as seats, sum(seat_limit) as seat_limit
       from d group by product_code, plan_code, tier, day order by product_code, plan_code, day`,
    params,
  );
  const picked = licenseId
    ? [licenseId]
    : (
        await fork.execute<{ id: string }[]>(
          `${base} select id from d where day = (select max(day) from d) order by seats_in_use desc, id limit ${TREND_LICENSES}`,
          params,
        )
      ).map((row) => row.id);
  const licenseRows = picked.length
    ? await fork.execute<{ id: string; key_hint: string; plan: string; day: string; seats: number; seat_limit: number | null }[]>(
        `${base} select d.id, l.key_hint, d.plan_code as plan, d.day::text as day, d.seats_in_use as seats, d.seat_limit
           from d join license l on l.id = d.id where d.id = any(?::uuid[]) order by d.id, d.day`,
        [...params, `{${picked.join(',')}}`],
      )
    : [];
  const plans = new Map<string, SeatTrendReport['plans'][number]>();
  for (const row of planRows) {
    const key = `${row.product}/${row.plan}`;
    if (!plans.has(key)) plans.set(key, { product: row.product, plan: row.plan, tier: row.tier, points: [] });
    plans.get(key)!.points.push({ day: row.day, licenses: Number(row.licenses), seatsInUse: Number(row.seats), seatLimit: row.seat_limit === null ? null : Number(row.seat_limit) });
  }
  const licenses = new Map<string, SeatTrendReport['licenses'][number]>();
  for (const row of licenseRows) {
    if (!licenses.has(row.id)) licenses.set(row.id, { licenseId: row.id, keyHint: row.key_hint, plan: row.plan, points: [] });
    licenses.get(row.id)!.points.push({ day: row.day, licenses: 1, seatsInUse: row.seats, seatLimit: row.seat_limit });
  }
  return { plans: [...plans.values()], licenses: picked.filter((id) => licenses.has(id)).map((id) => licenses.get(id)!) };
}
