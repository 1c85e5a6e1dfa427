import type { EntityManager } from '@mikro-orm/postgresql';
import { liveSeatsSql } from './utilization-report.ts';

/**
 * Records the seats in use of every license not revoked, and the seat limit that holds, as the
 * given UTC day's snapshot (default: today). Idempotent: a second run the same day (a schedule
 * retry, two workers) replaces that day's figures. Returns how many licenses it recorded.
 */
export async function snapshotSeats(em: EntityManager, day?: string): Promise<{ day: string; licenses: number }> {
  const date = day ?? new Date().toISOString().slice(0, 10);
  const rows = await em.fork().execute<{ n: string }[]>(
    `with snap as (
       insert into license_seat_day (license_id, day, seats_in_use, seat_limit)
       select l.id, ?::date,
              (${liveSeatsSql('l.id')}),
              case when l.overrides->'seatLimit' is not null then (l.overrides->>'seatLimit')::int else p.seat_limit end
         from license l join plan p on p.id = l.plan_id
        where l.status <> 'REVOKED'
       on conflict (license_id, day) do update set seats_in_use = excluded.seats_in_use, seat_limit = excluded.seat_limit
       returning day)
     select count(*) as n from snap`,
    [date],
  );
  return { day: date, licenses: Number(rows[0]!.n) };
}
