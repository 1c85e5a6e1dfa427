import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, EmptyState, ErrorState, Loading, PageHeader, Pagination, Select, Table, Time, type Column } from '@web/components';
import { KINDS, STATUSES, useAbuseAlerts, type AbuseAlert, type AbuseAlertKind, type AbuseAlertStatus, type AlertFilters } from './api';
import { AlertStatus } from './alert-status';
import styles from './abuse-alerts.module.css';

const columns: Column<AbuseAlert>[] = [
  {
    key: 'kind',
    header: 'Alert',
    cell: (alert) => (
      <Link to={`/abuse-alerts/${alert.id}`} className={styles.rowLink}>
        {KINDS[alert.kind].label}
      </Link>
    ),
  },
  { key: 'status', header: 'Status', cell: (alert) => <AlertStatus status={alert.status} /> },
  {
    key: 'license',
    header: 'License',
    cell: (alert) => (
      <Link to={`/licenses/${alert.license_id}`} className={styles.mono} aria-label={`License ${alert.license_id}`}>
        {alert.license_id.slice(0, 8)}…
      </Link>
    ),
  },
  { key: 'seen', header: 'Last seen', cell: (alert) => <Time value={alert.window_end} /> },
  { key: 'occurrences', header: 'Checks', align: 'end', wideOnly: true, cell: (alert) => alert.occurrences },
  { key: 'raised', header: 'Raised', wideOnly: true, cell: (alert) => <Time value={alert.created_at} /> },
];

/** Abuse alerts, newest first, filtered by status and kind (kept in the URL), a page at a time. */
export function AbuseAlertsPage() {
  const [params, setParams] = useSearchParams();
  const filters: AlertFilters = {
    status: (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as AbuseAlertStatus) : undefined,
    kind: params.get('kind') && params.get('kind')! in KINDS ? (params.get('kind') as AbuseAlertKind) : undefined,
  };
  const [cursors, setCursors] = useState<string[]>([]);
  const alerts = useAbuseAlerts(filters, cursors[cursors.length - 1]);
  const filtered = Boolean(filters.status || filters.kind);

  const change = (name: 'status' | 'kind', value: string) => {
    setCursors([]);
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const page = cursors.length + 1;
  const shown = alerts.data?.data.length ?? 0;
  const from = (page - 1) * 25 + 1;

  return (
    <div className={styles.page}>
      <PageHeader
        title="Abuse alerts"
        description="Suspicious use the abuse checks found in the usage events: key sharing, resale, trial cycling. Open one to see its evidence, then dismiss it or act on the license."
      />
      <form className={styles.filters} aria-label="Filter alerts" onSubmit={(event) => event.preventDefault()}>
        <Select label="Status" value={filters.status ?? ''} onChange={(event) => change('status', event.target.value)}>
          <option value="">Any status</option>
          <option value="OPEN">Open</option>
          <option value="ACTED">Acted on</option>
          <option value="DISMISSED">Dismissed</option>
        </Select>
        <Select label="Kind" value={filters.kind ?? ''} onChange={(event) => change('kind', event.target.value)}>
          <option value="">Any kind</option>
          {(Object.keys(KINDS) as AbuseAlertKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {KINDS[kind].label}
            </option>
          ))}
        </Select>
      </form>
      <section aria-labelledby="alerts-heading" aria-busy={alerts.isFetching}>
        <h2 id="alerts-heading" className="visually-hidden">
          Alerts
        </h2>
        {alerts.isPending ? (
          <Loading label="Loading the alerts…" lines={5} />
        ) : alerts.isError ? (
          <ErrorState error={alerts.error} title="The alerts could not be loaded" onRetry={() => void alerts.refetch()} />
        ) : shown === 0 ? (
          <EmptyState
            title={filtered ? 'No alert matches' : 'No abuse alerts'}
            action={filtered ? <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>Clear the filters</Button> : undefined}
          >
            {filtered ? 'Try another status or kind.' : 'The abuse checks run every 15 minutes over the usage events; what they find shows up here.'}
          </EmptyState>
        ) : (
          <>
            <Table caption="Abuse alerts, newest first" hideCaption columns={columns} rows={alerts.data.data} rowKey={(alert) => alert.id} />
            <Pagination
              page={page}
              hasPrevious={cursors.length > 0}
              hasNext={alerts.data.has_more}
              onPrevious={() => setCursors(cursors.slice(0, -1))}
              onNext={() => alerts.data.next_cursor && setCursors([...cursors, alerts.data.next_cursor])}
              summary={`Alerts ${from}–${from + shown - 1}${alerts.data.has_more ? ' (more on the next page)' : ''}`}
              label="Alert pages"
            />
          </>
        )}
      </section>
    </div>
  );
}
