import type { EntityManager } from '@mikro-orm/postgresql';
import { utcDay } from './usage-partitions.ts';

/** At most this many hosts are kept per roll-up row: a flood of spoofed referrers cannot bloat it. */
const MAX_DOMAINS = 100;

/**
 * Recomputes usage_day for the given UTC days from the raw events (replacing what was there),
 * so a roll-up is exact once its day's last flush is in. Run by the usage-maintenance schedule
 * for yesterday and today: a day is final one run after midnight, long before its raw events
 * are dropped. Calls with an unknown key (no license) are not rolled up.
 */
export async function rollUpUsageDays(em: EntityManager, days: readonly string[]): Promise<number> {
  let rows = 0;
  for (const day of days) {
    const from = `${day}T00:00:00Z`;
    await em.transactional(async (tx) => {
      await tx.execute(`delete from usage_day where day = ?`, [day]);
      const inserted = await tx.execute<{ count: number }[]>(
        `with day_events as (
           select e.* from usage_event e join license l on l.id = e.license_id
            where e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz + interval '1 day'),
         hosts as (
           select license_id, kind, code, to_jsonb((array_agg(h order by h))[1:${MAX_DOMAINS}]) as domains
             from (select distinct license_id, kind, code, h from day_events cross join lateral (values (origin_host), (domain)) v(h) where h is not null) x
            group by license_id, kind, code),
         rolled as (
           insert into usage_day (license_id, day, kind, code, events, distinct_ips, distinct_fingerprints, countries, domains)
           select e.license_id, ?::date, e.kind, e.code, sum(e.count), count(distinct e.ip), count(distinct e.fingerprint),
                  coalesce(jsonb_agg(distinct e.country order by e.country) filter (where e.country is not null), '[]'), coalesce(max(h.domains::text)::jsonb, '[]')
             from day_events e left join hosts h using (license_id, kind, code)
            group by e.license_id, e.kind, e.code
           returning 1)
         select count(*)::int as count from rolled`,
        [from, from, day],
      );
      rows += inserted[0]!.count;
    });
  }
  return rows;
}

/** Yesterday and today (UTC) at `now`: what each maintenance run rolls up. */
export function daysToRollUp(now: Date): string[] {
  return [utcDay(new Date(now.getTime() - 86_400_000)), utcDay(now)];
}

/**
 * Earlier days (before yesterday) that have licensed raw events but no roll-up: a worker that
 * was down over midnight catches up on its next run.
 */
export async function unrolledDays(em: EntityManager, now: Date): Promise<string[]> {
  const rows = await em.getConnection().execute<{ day: string }[]>(
    `select distinct to_char(e.occurred_at at time zone 'utc', 'YYYY-MM-DD') as day from usage_event e
      where e.license_id is not null and e.occurred_at < ?::date - 1
        and not exists (select 1 from usage_day d where d.day = (e.occurred_at at time zone 'utc')::date)`,
    [utcDay(now)],
  );
  return rows.map((row) => row.day);
}
