import { useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type UtilizationReport = Schemas['UtilizationReport'];
export type SeatTrendReport = Schemas['SeatTrendReport'];
export type RenewalCohortsReport = Schemas['RenewalCohortsReport'];
export type RevenueLeakageReport = Schemas['RevenueLeakageReport'];
export type LicensingMetricsReport = Schemas['LicensingMetricsReport'];

/** The reports, as the API names them (the console's tabs, in this order). */
export const REPORTS = ['licensing-metrics', 'utilization', 'seat-trend', 'renewal-cohorts', 'revenue-leakage'] as const;
export type ReportName = (typeof REPORTS)[number];

/** The range and catalog filters every report takes (as the URL keeps them). */
export interface ReportFilters {
  from?: string;
  to?: string;
  product?: string;
  plan?: string;
  tier?: string;
}

interface ReportTypes {
  utilization: UtilizationReport;
  'seat-trend': SeatTrendReport;
  'renewal-cohorts': RenewalCohortsReport;
  'revenue-leakage': RevenueLeakageReport;
  'licensing-metrics': LicensingMetricsReport;
}

const clean = (filters: ReportFilters) => Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== ''));

const fetchReport = <N extends ReportName>(name: N, filters: ReportFilters): Promise<ReportTypes[N]> => {
  const query = { params: { query: clean(filters) } };
  switch (name) {
    case 'utilization':
      return data(api.GET('/v1/reports/utilization', query)) as Promise<ReportTypes[N]>;
    case 'seat-trend':
      return data(api.GET('/v1/reports/seat-trend', query)) as Promise<ReportTypes[N]>;
    case 'renewal-cohorts':
      return data(api.GET('/v1/reports/renewal-cohorts', query)) as Promise<ReportTypes[N]>;
    case 'revenue-leakage':
      return data(api.GET('/v1/reports/revenue-leakage', query)) as Promise<ReportTypes[N]>;
    default:
      return data(api.GET('/v1/reports/licensing-metrics', query)) as Promise<ReportTypes[N]>;
  }
};

/** One report for the filters; the same report's previous figures stay on screen while new ones load (another report's never stand in). */
export function useReport<N extends ReportName>(name: N, filters: ReportFilters) {
  return useQuery({
    queryKey: ['report', name, filters],
    queryFn: () => fetchReport(name, filters),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === name ? previous : undefined),
    retry: false,
  });
}

/** Where the tab's table downloads as CSV (same origin: the session cookie goes along). */
export const csvUrl = (name: ReportName, filters: ReportFilters) => `/v1/reports/${name}?${new URLSearchParams({ ...clean(filters), format: 'csv' } as Record<string, string>)}`;
