import type { EntityManager } from '@mikro-orm/postgresql';
import { scopedLicenses, type ReportScope } from './report-scope.ts';

/** Seats in use by the license whose id is `licenseId` (an SQL expression): live activations (a lease counts until it lapses). */
export const liveSeatsSql = (licenseId: string) =>
  `select count(*) from activation a where a.license_id = ${licenseId} and a.deactivated_at is null and (a.lease_expires_at is null or a.lease_expires_at > now())`;

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

export interface UtilizationReport {
  issued: number;
  active: number;
  activeShare: number | null;
  plans: { product: string; plan: string; tier: string; issued: number; active: number; activeShare: number | null }[];
  licenses: { licenseId: string; keyHint: string; customerEmail: string | null; plan: string; seatsInUse: number; seatLimit: number | null; utilization: number | null }[];
  customers: { customerId: string; email: string; licenses: number; seatsInUse: number; seatLimit: number | null; utilization: number | null }[];
}

/** At most this many licenses and customers are listed (the most used first); the totals count all. */
export const UTILIZATION_ROWS = 500;

/**
 * Issued vs active: licenses issued by the range's end and not ended (revoked or expired) now,
 * and those of them validated at least once within the range (so the range's length is the
 * "active in the last N days"); per plan too. Seat utilization now: live seats over the seat
 * limit, per license and per customer (limited seats only in the customer's ratio).
 */
export async function utilizationReport(em: EntityManager, scope: ReportScope): Promise<UtilizationReport> {
  const scoped = scopedLicenses(scope);
  const base = `with s as (${scoped.sql}),
    issued as (
      select s.*, exists (select 1 from license_validation_day v where v.license_id = s.id and v.day between ?::date and ?::date and v.count > 0) as active,
             (${liveSeatsSql('s.id')}) as seats_in_use
        from s where s.created_at < ? and s.status not in ('REVOKED', 'EXPIRED'))`;
  const params = [...scoped.params, scope.from, scope.to, scope.untilAt];
  const fork = em.fork();
  const plans = await fork.execute<{ product: string; plan: string; tier: string; issued: string; active: string }[]>(
    `${base} select product_code as product, plan_code as plan, tier, count(*) as issued, count(*) filter (where active) as active
       from issued group by product_code, plan_code, tier order by count(*) desc, product_code, plan_code`,
    params,
  );
  const licenses = await fork.execute<{ id: string; key_hint: string; email: string | null; plan: string; seats_in_use: string; seat_limit: number | null }[]>(
    `${base} select i.id, l.key_hint, c.email, i.plan_code as plan, i.seats_in_use, i.seat_limit
       from issued i join license l on l.id = i.id left join customer c on c.id = i.customer_id
      order by case when i.seat_limit > 0 then i.seats_in_use::float / i.seat_limit end desc nulls last, i.seats_in_use desc, i.id
      limit ${UTILIZATION_ROWS}`,
    params,
  );
  const customers = await fork.execute<{ id: string; email: string; licenses: string; seats_in_use: string; seat_limit: string | null; limited_seats: string }[]>(
    `${base} select c.id, c.email, count(*) as licenses, sum(i.seats_in_use) as seats_in_use,
            sum(i.seat_limit) filter (where i.seat_limit is not null) as seat_limit,
            coalesce(sum(i.seats_in_use) filter (where i.seat_limit is not null), 0) as limited_seats
       from issued i join customer c on c.id = i.customer_id
      group by c.id, c.email
      order by sum(i.seats_in_use) desc, c.email
      limit ${UTILIZATION_ROWS}`,
    params,
  );
  const issued = plans.reduce((sum, row) => sum + Number(row.issued), 0);
  const active = plans.reduce((sum, row) => sum + Number(row.active), 0);
  return {
    issued,
    active,
    activeShare: ratio(active, issued),
    plans: plans.map((row) => ({ product: row.product, plan: row.plan, tier: row.tier, issued: Number(row.issued), active: Number(row.active), activeShare: ratio(Number(row.active), Number(row.issued)) })),
    licenses: licenses.map((row) => ({
      licenseId: row.id,
      keyHint: row.key_hint,
      customerEmail: row.email,
      plan: row.plan,
      seatsInUse: Number(row.seats_in_use),
      seatLimit: row.seat_limit,
      utilization: row.seat_limit ? ratio(Number(row.seats_in_use), row.seat_limit) : null,
    })),
    customers: customers.map((row) => ({
      customerId: row.id,
      email: row.email,
      licenses: Number(row.licenses),
      seatsInUse: Number(row.seats_in_use),
      seatLimit: row.seat_limit === null ? null : Number(row.seat_limit),
      utilization: row.seat_limit ? ratio(Number(row.limited_seats), Number(row.seat_limit)) : null,
    })),
  };
}
