import { reportQuery, seatTrendQuery } from '../../reports/report-query.ts';
import { REPORT_RANGES, type ReportName } from '../../reports/report.routes.ts';
import { operation } from '../operation.ts';
import { LicensingMetricsReport, RenewalCohortsReport, RevenueLeakageReport, SeatTrendReport, UtilizationReport } from '../schemas/reports.ts';
import type { z } from 'zod';

const CSV = { 'text/csv': { schema: { type: 'string', description: 'With `format=csv`: the main table, a header row first (RFC 4180).' } } };

function report(name: ReportName, operationId: string, summary: string, description: string, schema: z.ZodType, query: z.ZodObject = reportQuery) {
  const range = REPORT_RANGES[name];
  return {
    get: operation({
      tag: 'reports',
      operationId,
      summary,
      description: `${description}\n\nThe range is at most ${range.maxDays} days (REPORT_RANGE_TOO_LONG); without dates, the ${range.defaultDays} days ending ${'defaultEndsInDays' in range ? `${range.defaultEndsInDays} days from today` : 'today'}. A malformed date, or from after to: INVALID_DATE. A product, plan or tier that does not exist: UNKNOWN_FILTER_VALUE.`,
      scope: 'reports:read',
      query,
      responses: {
        200: {
          description: 'The report; with `format=csv`, its main table as an attachment (`Content-Disposition`) named after the report and its range.',
          schema,
          alternatives: CSV,
        },
      },
      problems: ['INVALID_DATE', 'REPORT_RANGE_TOO_LONG', 'UNKNOWN_FILTER_VALUE'],
    }),
  };
}

/** GET /v1/reports/…: utilization, seat trend, renewal cohorts, revenue leakage, licensing metrics (api/reports/). */
export const reportPaths = {
  '/v1/reports/utilization': report(
    'utilization',
    'utilizationReport',
    'Utilization: issued vs active licenses, seat utilization',
    'Issued vs active licenses (validated within the range), per plan; seat utilization now per license and per customer. CSV: the licenses.',
    UtilizationReport,
  ),
  '/v1/reports/seat-trend': report(
    'seat-trend',
    'seatTrendReport',
    'Seat usage trend per plan and license',
    'Seats in use per day from the daily seat snapshots (the seat-snapshot schedule), per plan and per license. CSV: the plans\' points.',
    SeatTrendReport,
    seatTrendQuery,
  ),
  '/v1/reports/renewal-cohorts': report(
    'renewal-cohorts',
    'renewalCohortsReport',
    'Renewal cohorts by expiry month and tier',
    'Terms ending within the range, by month and tier, with the share renewed, churned and still open. CSV: the cohorts.',
    RenewalCohortsReport,
  ),
  '/v1/reports/revenue-leakage': report(
    'revenue-leakage',
    'revenueLeakageReport',
    'Revenue leakage: overage, refused keys still validating, extra domains and countries',
    'Each kind with a count and an estimated value per month where a price is known. CSV: the findings.',
    RevenueLeakageReport,
  ),
  '/v1/reports/licensing-metrics': report(
    'licensing-metrics',
    'licensingMetricsReport',
    'The five licensing metrics, with their targets',
    'Validation success rate (> 99%), active vs issued (> 70%), domain-to-license ratio (< 2:1), renewal rate (> 80%), time to first validation (< 24 h). CSV: the metrics.',
    LicensingMetricsReport,
  ),
};
