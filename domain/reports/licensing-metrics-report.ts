import type { EntityManager } from '@mikro-orm/postgresql';
import { VALIDATION_CODES } from '../licenses/validation-codes.ts';
import { renewalCohortsReport } from './renewal-cohorts-report.ts';
import { scopedLicenses, type ReportScope } from './report-scope.ts';
import { utilizationReport } from './utilization-report.ts';

export const METRIC_NAMES = ['validation_success_rate', 'active_vs_issued', 'domain_to_license_ratio', 'renewal_rate', 'time_to_first_validation'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface LicensingMetric {
  metric: MetricName;
  label: string;
  /** The figure (a share 0–1, a ratio, or hours); null when nothing in the range measures it. */
  value: number | null;
  unit: 'share' | 'ratio' | 'hours';
  /** The micro-SaaS article's target: `value` should be above (`>`) or below (`<`) it. */
  target: { op: '>' | '<'; value: number };
  /** Whether the value meets the target; null without a value. */
  meets: boolean | null;
  /** What the value is computed from. */
  numerator: number | null;
  denominator: number | null;
  note: string;
}

/** The verdicts a validation counts as a success with (the software keeps working). */
const VALID_CODES = Object.entries(VALIDATION_CODES)
  .filter(([, code]) => code.valid)
  .map(([name]) => name);

const TARGETS: Record<MetricName, { label: string; unit: LicensingMetric['unit']; op: '>' | '<'; value: number }> = {
  validation_success_rate: { label: 'Validation success rate', unit: 'share', op: '>', value: 0.99 },
  active_vs_issued: { label: 'Active vs issued licenses', unit: 'share', op: '>', value: 0.7 },
  domain_to_license_ratio: { label: 'Domain-to-license ratio', unit: 'ratio', op: '<', value: 2 },
  renewal_rate: { label: 'Renewal rate', unit: 'share', op: '>', value: 0.8 },
  time_to_first_validation: { label: 'Time to first validation (median)', unit: 'hours', op: '<', value: 24 },
};

function metric(name: MetricName, value: number | null, numerator: number | null, denominator: number | null, note: string): LicensingMetric {
  const target = TARGETS[name];
  return {
    metric: name,
    label: target.label,
    value,
    unit: target.unit,
    target: { op: target.op, value: target.value },
    meets: value === null ? null : target.op === '>' ? value > target.value : value < target.value,
    numerator,
    denominator,
    note,
  };
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The five licensing metrics of the micro-SaaS article over the range, each beside its target:
 * validation success rate (valid verdicts over all validations of known keys, from the usage
 * events' daily roll-ups, usage_day), active vs issued licenses (the utilization report's), the
 * domain-to-license ratio (distinct domains per license with domain-bound activations seen in
 * the range), the renewal rate (the renewal cohorts' decided terms), and the median time from
 * issue to first validation of the licenses issued in the range.
 */
export async function licensingMetricsReport(em: EntityManager, scope: ReportScope): Promise<LicensingMetric[]> {
  const scoped = scopedLicenses(scope);
  const fork = em.fork();
  const [validations] = await fork.execute<{ valid: string | null; total: string | null }[]>(
    `with s as (${scoped.sql})
     select sum(d.events) filter (where d.code = any(?::text[])) as valid, sum(d.events) as total
       from usage_day d join s on s.id = d.license_id where d.kind = 'validation' and d.day between ?::date and ?::date`,
    [...scoped.params, `{${VALID_CODES.join(',')}}`, scope.from, scope.to],
  );
  const [valid, total] = [Number(validations!.valid ?? 0), Number(validations!.total ?? 0)];
  const utilization = await utilizationReport(em, scope);
  const [domains] = await fork.execute<{ pairs: string; licenses: string }[]>(
    `with s as (${scoped.sql}),
       used as (select distinct a.license_id, lower(a.domain) as domain from activation a join s on s.id = a.license_id
                 where a.domain is not null and a.last_seen_at >= ? and a.first_seen_at < ?)
     select count(*) as pairs, count(distinct license_id) as licenses from used`,
    [...scoped.params, scope.fromAt, scope.untilAt],
  );
  const renewals = (await renewalCohortsReport(em, scope)).totals;
  const [first] = await fork.execute<{ median: number | null; validated: string; issued: string }[]>(
    `with s as (${scoped.sql})
     select percentile_cont(0.5) within group (order by extract(epoch from s.first_validated_at - s.created_at) / 3600) filter (where s.first_validated_at is not null) as median,
            count(*) filter (where s.first_validated_at is not null) as validated, count(*) as issued
       from s where s.created_at >= ? and s.created_at < ?`,
    [...scoped.params, scope.fromAt, scope.untilAt],
  );
  const pairs = Number(domains!.pairs);
  const domainLicenses = Number(domains!.licenses);
  const decided = renewals.renewed + renewals.churned;
  return [
    metric('validation_success_rate', total ? round(valid / total, 4) : null, valid, total, `Validations answered ${VALID_CODES.join(', ')} over all validations of known keys in the range (the usage events' daily roll-ups).`),
    metric('active_vs_issued', utilization.activeShare, utilization.active, utilization.issued, 'Licenses validated within the range over licenses issued by its end and not revoked or expired.'),
    metric('domain_to_license_ratio', domainLicenses ? round(pairs / domainLicenses, 2) : null, pairs, domainLicenses, 'Distinct domains over licenses with domain-bound activations seen in the range.'),
    metric('renewal_rate', decided ? round(renewals.renewed / decided) : null, renewals.renewed, decided, 'Terms ending in the range that were renewed, over those renewed or churned (open ones wait).'),
    metric(
      'time_to_first_validation',
      first!.median === null ? null : round(Number(first!.median), 2),
      Number(first!.validated),
      Number(first!.issued),
      'Median hours from issue to the first validation, over licenses issued in the range that were validated (numerator) of all issued (denominator).',
    ),
  ];
}
