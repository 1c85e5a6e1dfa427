import type { EntityManager } from '@mikro-orm/postgresql';
import { scopedLicenses, type ReportScope } from './report-scope.ts';

export interface RenewalCohort {
  /** The month the terms ended in (`YYYY-MM`, UTC). */
  month: string;
  tier: string;
  /** Terms that ended (or end) in the month. */
  due: number;
  renewed: number;
  churned: number;
  open: number;
  /** renewed / (renewed + churned); null while none is decided. */
  renewalRate: number | null;
}

export interface RenewalCohortsReport {
  totals: Omit<RenewalCohort, 'month' | 'tier'>;
  cohorts: RenewalCohort[];
}

const rate = (renewed: number, churned: number) => (renewed + churned > 0 ? Math.round((renewed / (renewed + churned)) * 1000) / 1000 : null);

/**
 * The term ends of each license, with what became of each: every end the audit trail shows
 * was moved later (a renewal: Stripe's, a purchase order, staff's) is RENEWED; the license's
 * current end is CHURNED when the license is expired or revoked, otherwise OPEN (not due yet,
 * in grace, or awaiting payment).
 */
export function termEndsSql(scoped: string): string {
  return `with s as (${scoped}),
    ends as (
      select distinct s.id, s.tier, (a.before->>'expiresAt')::timestamptz as term_end, 'RENEWED' as outcome
        from audit_event a join s on s.id = a.license_id
       where a.before->>'expiresAt' is not null and a.after->>'expiresAt' is not null
         and (a.after->>'expiresAt')::timestamptz > (a.before->>'expiresAt')::timestamptz
      union
      select s.id, s.tier, s.expires_at, case when s.status in ('EXPIRED', 'REVOKED') then 'CHURNED' else 'OPEN' end
        from s where s.expires_at is not null)`;
}

/**
 * Renewal cohorts: the terms that end within the range, by month of the end and the plan's
 * tier, with the share renewed, churned and still open.
 */
export async function renewalCohortsReport(em: EntityManager, scope: ReportScope): Promise<RenewalCohortsReport> {
  const scoped = scopedLicenses(scope);
  const rows = await em.fork().execute<{ month: string; tier: string; due: string; renewed: string; churned: string; open: string }[]>(
    `${termEndsSql(scoped.sql)}
     select to_char(term_end at time zone 'utc', 'YYYY-MM') as month, tier, count(*) as due,
            count(*) filter (where outcome = 'RENEWED') as renewed,
            count(*) filter (where outcome = 'CHURNED') as churned,
            count(*) filter (where outcome = 'OPEN') as open
       from ends where term_end >= ? and term_end < ?
      group by 1, 2 order by 1, 2`,
    [...scoped.params, scope.fromAt, scope.untilAt],
  );
  const cohorts = rows.map((row) => {
    const [due, renewed, churned, open] = [row.due, row.renewed, row.churned, row.open].map(Number) as [number, number, number, number];
    return { month: row.month, tier: row.tier, due, renewed, churned, open, renewalRate: rate(renewed, churned) };
  });
  const sum = (field: 'due' | 'renewed' | 'churned' | 'open') => cohorts.reduce((total, cohort) => total + cohort[field], 0);
  return { totals: { due: sum('due'), renewed: sum('renewed'), churned: sum('churned'), open: sum('open'), renewalRate: rate(sum('renewed'), sum('churned')) }, cohorts };
}
