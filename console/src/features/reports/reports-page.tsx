import { useSearchParams } from 'react-router';
import { ButtonAnchor, EmptyState, ErrorState, Loading, PageHeader, Tabs } from '@web/components';
import { ApiError } from '@web/api/api-error';
import { REPORTS, csvUrl, useReport, type ReportFilters, type ReportName } from './api';
import { CohortsPanel } from './cohorts-panel';
import { LeakagePanel } from './leakage-panel';
import { MetricsPanel } from './metrics-panel';
import { ReportFiltersBar } from './report-filters';
import { SeatTrendPanel } from './seat-trend-panel';
import { UtilizationPanel } from './utilization-panel';
import styles from './reports.module.css';

const LABELS: Record<ReportName, string> = {
  'licensing-metrics': 'Metrics',
  utilization: 'Utilization',
  'seat-trend': 'Seat trend',
  'renewal-cohorts': 'Renewals',
  'revenue-leakage': 'Leakage',
};

const FILTER_KEYS = ['from', 'to', 'product', 'plan', 'tier'] as const;

/** One report's figures, or its loading, error or empty state. */
function ReportBody({ name, filters }: { name: ReportName; filters: ReportFilters }) {
  const report = useReport(name, filters);
  if (report.isPending) return <Loading label="Counting…" lines={6} />;
  // A bad range or filter is shown at its field (ReportFiltersBar); anything else here.
  if (report.isError) return report.error instanceof ApiError && report.error.errors.length ? null : <ErrorState error={report.error} title="This report could not be counted" onRetry={() => void report.refetch()} />;
  const data = report.data;
  switch (name) {
    case 'licensing-metrics':
      return <MetricsPanel report={data as never} />;
    case 'utilization':
      return (data as { summary: { issued: number } }).summary.issued ? <UtilizationPanel report={data as never} /> : <EmptyState title="No licenses issued in this range">Widen the range or remove a filter.</EmptyState>;
    case 'seat-trend':
      return <SeatTrendPanel report={data as never} />;
    case 'renewal-cohorts':
      return <CohortsPanel report={data as never} />;
    default:
      return <LeakagePanel report={data as never} />;
  }
}

/**
 * The reports, one tab each: the five licensing metrics, utilization, seat trend, renewal
 * cohorts and revenue leakage, for a range and a slice of the catalog kept in the URL (a view can
 * be shared); each tab's table downloads as CSV.
 */
export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  const name = (REPORTS as readonly string[]).includes(params.get('report') ?? '') ? (params.get('report') as ReportName) : 'licensing-metrics';
  const filters: ReportFilters = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined]).filter(([, value]) => value));
  const report = useReport(name, filters);
  const update = (next: { report?: ReportName; filters?: ReportFilters }) => {
    const merged = { report: next.report ?? name, ...(next.filters ?? filters) };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, value]) => value)) as Record<string, string>, { replace: true });
  };
  const range = report.data?.range;

  return (
    <div className={styles.page}>
      <PageHeader
        title="Reports"
        description={range ? `${range.from} to ${range.to} (UTC), ${range.days} days.` : 'Utilization, seats, renewals, leakage and the five licensing metrics.'}
        actions={
          <ButtonAnchor href={csvUrl(name, filters)} download variant="secondary" size="sm">
            Download CSV
          </ButtonAnchor>
        }
      />
      <ReportFiltersBar filters={filters} error={report.error} onChange={(next) => update({ filters: next })} />
      <Tabs
        label="Reports"
        selected={name}
        onSelect={(id) => update({ report: id as ReportName })}
        tabs={REPORTS.map((id) => ({ id, label: LABELS[id], panel: id === name ? <ReportBody name={id} filters={filters} /> : null }))}
      />
    </div>
  );
}
