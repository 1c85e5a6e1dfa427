import type { EntityManager } from '@mikro-orm/postgresql';
import { ABUSE_POLICY_DEFAULTS } from '../../schema/abuse/abuse-policy.ts';
import { readLicenseValues, seatMonthly, type LicenseValue } from './license-value.ts';
import { scopedLicenses, type ReportScope } from './report-scope.ts';
import { liveSeatsSql } from './utilization-report.ts';

export const LEAKAGE_KINDS = ['over_seat_limit', 'refused_keys_validating', 'extra_domains', 'extra_countries'] as const;
export type LeakageKind = (typeof LEAKAGE_KINDS)[number];

export interface LeakageFinding {
  kind: LeakageKind;
  licenseId: string;
  keyHint: string;
  customerEmail: string | null;
  plan: string;
  status: string;
  /** Seats over the limit, refused validations, or domains or countries beyond the plan's. */
  units: number;
  /** What `units` is measured against: the seat limit, or the domains or countries the plan implies; null for refused keys. */
  allowed: number | null;
  /** Since when: the overage's start, or when the key stopped being valid. */
  since: string | null;
  /** Days from `since` to now. */
  days: number | null;
  /** Estimated value per month of what leaks; null when no price is known. */
  monthlyValue: number | null;
  currency: string | null;
}

export interface LeakageSummary {
  kind: LeakageKind;
  licenses: number;
  units: number;
  /** Σ of the priced findings' values, per currency. */
  monthlyValue: Record<string, number>;
  /** Findings without a known price (not in monthlyValue). */
  unpriced: number;
}

export interface RevenueLeakageReport {
  summary: LeakageSummary[];
  findings: LeakageFinding[];
}

const DAY_MS = 86_400_000;
/** The abuse checks' default countries per key per day (schema/abuse/abuse-policy.ts): what a plan implies without a limit of its own. */
const DEFAULT_MAX_COUNTRIES = ABUSE_POLICY_DEFAULTS.maxCountriesPerDay;
const cents = (value: number) => Math.round(value * 100) / 100;

type Row = { id: string; key_hint: string; email: string | null; plan: string; status: string; units: string; allowed: number | null; since: Date | null };

/**
 * Revenue leaking past enforcement, each finding with a count and, where the license's price is
 * known (license-value.ts), an estimated value per month:
 * - over_seat_limit: licenses using more live seats than their limit now (overage), since when
 *   the overage started; valued at the extra seats × the price of one seat;
 * - refused_keys_validating: revoked, expired or suspended licenses whose key was still
 *   validated within the range, answered REVOKED, EXPIRED, TRIAL_EXPIRED or SUSPENDED (the usage
 *   events' daily roll-ups, usage_day); since the key stopped being valid; valued at the
 *   license's monthly price (what is no longer paid);
 * - extra_domains: licenses whose activations seen within the range span more domains than the
 *   plan implies (the `max_domains` feature, else one per seat); valued at the extra domains ×
 *   the price of one seat;
 * - extra_countries: licenses used from more countries within the range (usage_day) than the plan
 *   implies (the `max_countries` feature, else the plan's abuse policy's countries per day,
 *   default 20); valued at the extra countries × the price of one seat.
 */
export async function revenueLeakageReport(em: EntityManager, scope: ReportScope, now = new Date()): Promise<RevenueLeakageReport> {
  const scoped = scopedLicenses(scope);
  const fork = em.fork();
  const base = `with s as (${scoped.sql})`;
  const select = `s.id, l.key_hint, c.email, s.plan_code as plan, s.status`;
  const joins = `join license l on l.id = s.id left join customer c on c.id = s.customer_id`;
  const overSeats = await fork.execute<Row[]>(
    `${base}, seats as (select s.*, (${liveSeatsSql('s.id')}) as live from s where s.status not in ('REVOKED', 'EXPIRED') and s.seat_limit is not null)
     select ${select}, s.live - s.seat_limit as units, s.seat_limit as allowed, s.overage_started_at as since
       from seats s ${joins} where s.live > s.seat_limit order by units desc, s.id`,
    scoped.params,
  );
  const refused = await fork.execute<Row[]>(
    `${base}, ended as (
       select s.*, coalesce((select max(a.created_at) from audit_event a where a.license_id = s.id and a.after->>'status' = s.status::text), l.updated_at) as ended_at
         from s join license l on l.id = s.id where s.status in ('REVOKED', 'EXPIRED', 'SUSPENDED'))
     select ${select}, sum(d.events) as units, null::int as allowed, s.ended_at as since
       from ended s ${joins} join usage_day d on d.license_id = s.id
      where d.kind = 'validation' and d.code in ('REVOKED', 'EXPIRED', 'TRIAL_EXPIRED', 'SUSPENDED') and d.day between ?::date and ?::date
      group by s.id, l.key_hint, c.email, s.plan_code, s.status, s.ended_at order by units desc, s.id`,
    [...scoped.params, scope.from, scope.to],
  );
  const domains = await fork.execute<Row[]>(
    `${base}, allowed as (
       select s.*, case when jsonb_typeof(s.features->'max_domains') = 'number' then (s.features->>'max_domains')::int else s.seat_limit end as max_domains
         from s where s.status not in ('REVOKED', 'EXPIRED')),
     used as (
       select s.id, count(distinct lower(a.domain)) as domains, min(a.first_seen_at) as since
         from allowed s join activation a on a.license_id = s.id
        where a.domain is not null and a.last_seen_at >= ? and a.first_seen_at < ? and s.max_domains is not null
        group by s.id)
     select ${select}, u.domains - s.max_domains as units, s.max_domains as allowed, u.since
       from allowed s join used u on u.id = s.id ${joins} where u.domains > s.max_domains order by units desc, s.id`,
    [...scoped.params, scope.fromAt, scope.untilAt],
  );
  const countries = await fork.execute<Row[]>(
    `${base}, allowed as (
       select s.*, case when jsonb_typeof(s.features->'max_countries') = 'number' then (s.features->>'max_countries')::int
                        else coalesce((select (ap.policy->>'maxCountriesPerDay')::int from plan_abuse_policy ap where ap.plan_id = s.plan_id), ${DEFAULT_MAX_COUNTRIES}) end as max_countries
         from s where s.status not in ('REVOKED', 'EXPIRED')),
     used as (
       select s.id, count(distinct c.country) as countries, min(d.day)::timestamptz as since
         from allowed s join usage_day d on d.license_id = s.id cross join lateral jsonb_array_elements_text(d.countries) as c(country)
        where d.day between ?::date and ?::date group by s.id)
     select ${select}, u.countries - s.max_countries as units, s.max_countries as allowed, u.since
       from allowed s join used u on u.id = s.id ${joins} where u.countries > s.max_countries order by units desc, s.id`,
    [...scoped.params, scope.from, scope.to],
  );
  const groups: [LeakageKind, Row[]][] = [['over_seat_limit', overSeats], ['refused_keys_validating', refused], ['extra_domains', domains], ['extra_countries', countries]];
  const values = await readLicenseValues(em, [...new Set(groups.flatMap(([, rows]) => rows.map((row) => row.id)))]);
  const findings = groups.flatMap(([kind, rows]) => rows.map((row) => finding(kind, row, values.get(row.id), now)));
  return { summary: LEAKAGE_KINDS.map((kind) => summarize(kind, findings.filter((f) => f.kind === kind))), findings };
}

function finding(kind: LeakageKind, row: Row, value: LicenseValue | undefined, now: Date): LeakageFinding {
  const units = Number(row.units);
  const since = row.since ? new Date(row.since) : null;
  const perUnit = kind === 'refused_keys_validating' ? (value?.monthly ?? null) : seatMonthly(value);
  return {
    kind,
    licenseId: row.id,
    keyHint: row.key_hint,
    customerEmail: row.email,
    plan: row.plan,
    status: row.status,
    units,
    allowed: row.allowed,
    since: since?.toISOString() ?? null,
    days: since ? Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS)) : null,
    monthlyValue: perUnit === null ? null : cents(kind === 'refused_keys_validating' ? perUnit : perUnit * units),
    currency: perUnit === null ? null : value!.currency,
  };
}

function summarize(kind: LeakageKind, findings: LeakageFinding[]): LeakageSummary {
  const monthlyValue: Record<string, number> = {};
  for (const f of findings) if (f.monthlyValue !== null) monthlyValue[f.currency!] = cents((monthlyValue[f.currency!] ?? 0) + f.monthlyValue);
  return { kind, licenses: findings.length, units: findings.reduce((sum, f) => sum + f.units, 0), monthlyValue, unpriced: findings.filter((f) => f.monthlyValue === null).length };
}
