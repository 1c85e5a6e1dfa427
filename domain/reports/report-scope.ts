import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../domain-error.ts';

/** What every report is asked for: whole UTC days `from`–`to` (both included), and the catalog filters. */
export interface ReportQuery {
  from?: string;
  to?: string;
  /** A product code. */
  product?: string;
  /** A plan code. */
  plan?: string;
  /** A plan tier. */
  tier?: string;
}

/** A checked query: dates parsed, the range within the report's maximum, every filter value known. */
export interface ReportScope {
  from: string;
  to: string;
  /** `from`, 00:00 UTC. */
  fromAt: Date;
  /** The first instant after the range (`to` + 1 day, 00:00 UTC). */
  untilAt: Date;
  days: number;
  product: string | null;
  plan: string | null;
  tier: string | null;
}

/** How long a report's range may be, and how long it is when not given. */
export interface RangeLimits {
  maxDays: number;
  defaultDays: number;
  /** The default range ends this many days after today (cohorts look ahead); 0 by default. */
  defaultEndsInDays?: number;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(field: string, value: string): Date {
  const match = DATE.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  // Date.UTC rolls 2026-02-30 over to March: a day that does not exist is refused, not moved.
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new DomainError('INVALID_DATE', `${field}: expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(value.slice(0, 40))}`, {
      extra: { errors: [{ field, message: 'expected a calendar date (YYYY-MM-DD)' }] },
    });
  }
  return date;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Checks a report's query: `from` and `to` are real dates (INVALID_DATE), `from` is not after
 * `to` (INVALID_DATE), the range is at most `maxDays` long (REPORT_RANGE_TOO_LONG), and each
 * filter names a product, plan or tier that exists (UNKNOWN_FILTER_VALUE). Without dates the
 * range is the `defaultDays` ending today (UTC).
 */
export async function resolveReportScope(em: EntityManager, query: ReportQuery, limits: RangeLimits, now = new Date()): Promise<ReportScope> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const toDate = query.to ? parseDay('to', query.to) : new Date(today + (limits.defaultEndsInDays ?? 0) * DAY_MS);
  const fromDate = query.from ? parseDay('from', query.from) : new Date(toDate.getTime() - (limits.defaultDays - 1) * DAY_MS);
  if (fromDate > toDate) {
    throw new DomainError('INVALID_DATE', `from (${day(fromDate)}) is after to (${day(toDate)})`, { extra: { errors: [{ field: 'from', message: 'must not be after to' }] } });
  }
  const days = Math.round((toDate.getTime() - fromDate.getTime()) / DAY_MS) + 1;
  if (days > limits.maxDays) {
    throw new DomainError('REPORT_RANGE_TOO_LONG', `the range covers ${days} days; this report covers at most ${limits.maxDays}: narrow from/to`, {
      extra: { errors: [{ field: 'from', message: `the range may cover at most ${limits.maxDays} days` }] },
    });
  }
  const scope: ReportScope = {
    from: day(fromDate),
    to: day(toDate),
    fromAt: fromDate,
    untilAt: new Date(toDate.getTime() + DAY_MS),
    days,
    product: query.product ?? null,
    plan: query.plan ?? null,
    tier: query.tier ?? null,
  };
  await assertKnownFilters(em, scope);
  return scope;
}

async function assertKnownFilters(em: EntityManager, scope: ReportScope): Promise<void> {
  const checks: [field: string, value: string | null, sql: string][] = [
    ['product', scope.product, `select 1 from product where code = ? limit 1`],
    ['plan', scope.plan, `select 1 from plan where code = ? limit 1`],
    ['tier', scope.tier, `select 1 from plan where tier = ? limit 1`],
  ];
  const errors: { field: string; message: string }[] = [];
  for (const [field, value, sql] of checks) {
    if (value !== null && (await em.fork().execute(sql, [value])).length === 0) errors.push({ field, message: `no ${field} ${JSON.stringify(value)}` });
  }
  if (errors.length) throw new DomainError('UNKNOWN_FILTER_VALUE', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { extra: { errors } });
}

/**
 * The scope's catalog filters as SQL over `license l join plan p on p.id = l.plan_id join
 * product pr on pr.id = p.product_id`, with its parameters (`true` without filters).
 */
export function scopeFilter(scope: ReportScope): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  for (const [column, value] of [['pr.code', scope.product], ['p.code', scope.plan], ['p.tier', scope.tier]] as const) {
    if (value === null) continue;
    parts.push(`${column} = ?`);
    params.push(value);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

/** The licenses in scope, with their plan and product: a CTE body for every report. */
export function scopedLicenses(scope: ReportScope): { sql: string; params: string[] } {
  const filter = scopeFilter(scope);
  return {
    sql: `select l.id, l.status, l.customer_id, l.created_at, l.expires_at, l.first_validated_at, l.overage_started_at, l.overrides, l.metadata,
                 p.id as plan_id, p.code as plan_code, p.tier, p.features, pr.code as product_code,
                 case when l.overrides->'seatLimit' is not null then (l.overrides->>'seatLimit')::int else p.seat_limit end as seat_limit
            from license l join plan p on p.id = l.plan_id join product pr on pr.id = p.product_id
           where ${filter.sql}`,
    params: filter.params,
  };
}
