import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { licensingMetricsReport } from '../../domain/reports/licensing-metrics-report.ts';
import { renewalCohortsReport } from '../../domain/reports/renewal-cohorts-report.ts';
import { resolveReportScope, type RangeLimits, type ReportScope } from '../../domain/reports/report-scope.ts';
import { revenueLeakageReport } from '../../domain/reports/revenue-leakage-report.ts';
import { seatTrendReport } from '../../domain/reports/seat-trend-report.ts';
import { utilizationReport } from '../../domain/reports/utilization-report.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { toCsv } from './csv.ts';
import { reportQuery, seatTrendQuery } from './report-query.ts';
import {
  licensingMetricsResource,
  renewalCohortsResource,
  reportHeader,
  revenueLeakageResource,
  seatTrendResource,
  utilizationResource,
  type RenderedReport,
} from './report-resources.ts';

/** Each report's range: at most `maxDays`, `defaultDays` ending today when not given (cohorts look half a year back and ahead). */
export const REPORT_RANGES = {
  utilization: { maxDays: 366, defaultDays: 30 },
  'seat-trend': { maxDays: 366, defaultDays: 90 },
  'renewal-cohorts': { maxDays: 731, defaultDays: 365, defaultEndsInDays: 182 },
  'revenue-leakage': { maxDays: 366, defaultDays: 30 },
  'licensing-metrics': { maxDays: 366, defaultDays: 30 },
} satisfies Record<string, RangeLimits>;

export type ReportName = keyof typeof REPORT_RANGES;

/**
 * The reports, read-only: `GET /v1/reports/<name>` with a date range, product, plan and tier
 * filters, answered as JSON or, with `?format=csv`, as the report's main table in CSV.
 */
export function reportRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/reports' });
  const report = <Q extends typeof reportQuery | typeof seatTrendQuery>(name: ReportName, schema: Q, build: (scope: ReportScope, query: z.infer<Q>, now: Date) => Promise<RenderedReport>) =>
    router.get(`/${name}`, async (ctx: Context) => {
      const query = parseWith(schema, ctx.query) as z.infer<Q>;
      const now = new Date();
      const scope = await resolveReportScope(deps.em, query, REPORT_RANGES[name], now);
      const rendered = await build(scope, query, now);
      ctx.set('Cache-Control', 'no-store');
      if (query.format === 'csv') {
        ctx.type = 'text/csv; charset=utf-8';
        ctx.set('Content-Disposition', `attachment; filename="keywarden-${name}-${scope.from}-${scope.to}.csv"`);
        ctx.body = toCsv(rendered.columns, rendered.rows);
        return;
      }
      ctx.body = { ...reportHeader(name, scope, now), ...rendered.body };
    });
  report('utilization', reportQuery, async (scope) => utilizationResource(await utilizationReport(deps.em, scope)));
  report('seat-trend', seatTrendQuery, async (scope, query) => seatTrendResource(await seatTrendReport(deps.em, scope, (query as z.infer<typeof seatTrendQuery>).license_id)));
  report('renewal-cohorts', reportQuery, async (scope) => renewalCohortsResource(await renewalCohortsReport(deps.em, scope)));
  report('revenue-leakage', reportQuery, async (scope, _query, now) => revenueLeakageResource(await revenueLeakageReport(deps.em, scope, now)));
  report('licensing-metrics', reportQuery, async (scope) => licensingMetricsResource(await licensingMetricsReport(deps.em, scope)));
  return router;
}
