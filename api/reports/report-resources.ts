import type { LicensingMetric } from '../../domain/reports/licensing-metrics-report.ts';
import type { ReportScope } from '../../domain/reports/report-scope.ts';
import type { RenewalCohortsReport } from '../../domain/reports/renewal-cohorts-report.ts';
import type { RevenueLeakageReport } from '../../domain/reports/revenue-leakage-report.ts';
import type { SeatPoint, SeatTrendReport } from '../../domain/reports/seat-trend-report.ts';
import type { UtilizationReport } from '../../domain/reports/utilization-report.ts';

/** A report as JSON (`body`), and its main table for `?format=csv` (`columns`, `rows`). */
export interface RenderedReport {
  body: Record<string, unknown>;
  columns: readonly string[];
  rows: Record<string, unknown>[];
}

/** What every report answer starts with: which report, over which days, for which catalog slice. */
export const reportHeader = (name: string, scope: ReportScope, now: Date) => ({
  report: name,
  range: { from: scope.from, to: scope.to, days: scope.days },
  filters: { product: scope.product, plan: scope.plan, tier: scope.tier },
  generated_at: now.toISOString(),
});

export function utilizationResource(report: UtilizationReport): RenderedReport {
  const licenses = report.licenses.map((l) => ({ license_id: l.licenseId, key_hint: l.keyHint, customer_email: l.customerEmail, plan: l.plan, seats_in_use: l.seatsInUse, seat_limit: l.seatLimit, utilization: l.utilization }));
  return {
    body: {
      summary: { issued: report.issued, active: report.active, active_share: report.activeShare },
      plans: report.plans.map((p) => ({ product: p.product, plan: p.plan, tier: p.tier, issued: p.issued, active: p.active, active_share: p.activeShare })),
      licenses,
      customers: report.customers.map((c) => ({ customer_id: c.customerId, email: c.email, licenses: c.licenses, seats_in_use: c.seatsInUse, seat_limit: c.seatLimit, utilization: c.utilization })),
    },
    columns: ['license_id', 'key_hint', 'customer_email', 'plan', 'seats_in_use', 'seat_limit', 'utilization'],
    rows: licenses,
  };
}

const point = (p: SeatPoint) => ({ day: p.day, licenses: p.licenses, seats_in_use: p.seatsInUse, seat_limit: p.seatLimit });

export function seatTrendResource(report: SeatTrendReport): RenderedReport {
  const plans = report.plans.map((p) => ({ product: p.product, plan: p.plan, tier: p.tier, points: p.points.map(point) }));
  return {
    body: { plans, licenses: report.licenses.map((l) => ({ license_id: l.licenseId, key_hint: l.keyHint, plan: l.plan, points: l.points.map(point) })) },
    columns: ['day', 'product', 'plan', 'tier', 'licenses', 'seats_in_use', 'seat_limit'],
    rows: plans.flatMap((p) => p.points.map((pt) => ({ product: p.product, plan: p.plan, tier: p.tier, ...pt }))),
  };
}

export function renewalCohortsResource(report: RenewalCohortsReport): RenderedReport {
  const cohorts = report.cohorts.map((c) => ({ month: c.month, tier: c.tier, due: c.due, renewed: c.renewed, churned: c.churned, open: c.open, renewal_rate: c.renewalRate }));
  const t = report.totals;
  return {
    body: { totals: { due: t.due, renewed: t.renewed, churned: t.churned, open: t.open, renewal_rate: t.renewalRate }, cohorts },
    columns: ['month', 'tier', 'due', 'renewed', 'churned', 'open', 'renewal_rate'],
    rows: cohorts,
  };
}

export function revenueLeakageResource(report: RevenueLeakageReport): RenderedReport {
  const findings = report.findings.map((f) => ({
    kind: f.kind,
    license_id: f.licenseId,
    key_hint: f.keyHint,
    customer_email: f.customerEmail,
    plan: f.plan,
    status: f.status,
    units: f.units,
    allowed: f.allowed,
    since: f.since,
    days: f.days,
    monthly_value: f.monthlyValue,
    currency: f.currency,
  }));
  return {
    body: { summary: report.summary.map((s) => ({ kind: s.kind, licenses: s.licenses, units: s.units, monthly_value: s.monthlyValue, unpriced: s.unpriced })), findings },
    columns: ['kind', 'license_id', 'key_hint', 'customer_email', 'plan', 'status', 'units', 'allowed', 'since', 'days', 'monthly_value', 'currency'],
    rows: findings,
  };
}

export function licensingMetricsResource(metrics: LicensingMetric[]): RenderedReport {
  const rows = metrics.map((m) => ({ metric: m.metric, label: m.label, value: m.value, unit: m.unit, target: m.target, meets: m.meets, numerator: m.numerator, denominator: m.denominator, note: m.note }));
  return {
    body: { metrics: rows },
    columns: ['metric', 'label', 'value', 'unit', 'target', 'meets', 'numerator', 'denominator'],
    rows: rows.map((row) => ({ ...row, target: `${row.target.op} ${row.target.value}` })),
  };
}
