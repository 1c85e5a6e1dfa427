import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ButtonAnchor, Button, ConfirmDialog, DescriptionList, ErrorState, Loading, PageHeader, Pagination, Section, Select, StatusPill, Table, Time, type Column } from '@web/components';
import { humanize } from '@web/lib/format';
import { useSession } from '../auth/session';
import { useCatalog } from '../search/api';
import { cancelBulkOperation, resultsCsvUrl, useBulkOperation, type BulkItem, type BulkItemStatus, type BulkOperationWithResults } from './api';
import { describeFields, describeOperation } from './describe';
import styles from './bulk.module.css';

const RESULTS: BulkItemStatus[] = ['APPLIED', 'SKIPPED', 'FAILED', 'CANCELLED', 'PENDING'];

const COLUMNS: Column<BulkItem>[] = [
  {
    key: 'license',
    header: 'License',
    cell: (row) => (
      <span className={styles.license}>
        <Link to={`/licenses/${row.license_id}`}>
          <code>{row.key_hint}</code>
        </Link>
        {row.customer_email && <span className={styles.muted}>{row.customer_email}</span>}
      </span>
    ),
  },
  { key: 'result', header: 'Result', cell: (row) => <StatusPill status={row.status} /> },
  { key: 'before', header: 'Before', cell: (row) => describeFields(row.before) },
  { key: 'after', header: 'After', cell: (row) => (row.status === 'APPLIED' ? describeFields(row.after) : '—') },
  { key: 'reason', header: 'Reason', cell: (row) => row.detail ?? '—' },
  { key: 'when', header: 'Done', cell: (row) => <Time value={row.finished_at} />, wideOnly: true },
];

/** A bulk operation as it runs and after: progress, counts, cancel, the report (paged, filtered by result) and its CSV. */
export function BulkOperationPage() {
  const { operationId = '' } = useParams();
  const [status, setStatus] = useState<BulkItemStatus | ''>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const operation = useBulkOperation(operationId, { cursor: cursors[cursors.length - 1], status: status || undefined });
  const catalog = useCatalog();
  const planName = (id: string) => catalog.data?.plans.find((plan) => plan.id === id)?.name;

  if (operation.isPending) return <Loading label="Loading the bulk operation…" lines={6} />;
  if (operation.isError) return <ErrorState error={operation.error} title="The bulk operation could not be loaded" onRetry={() => void operation.refetch()} />;
  const op = operation.data;
  const title = describeOperation(op.operation, planName);

  return (
    <div className={styles.page}>
      <PageHeader
        eyebrow={<Link to="/bulk">Bulk operations</Link>}
        title={title}
        description={
          <>
            {op.total.toLocaleString()} license{op.total === 1 ? '' : 's'} chosen · started <Time value={op.created_at} /> by {op.actor.replace(/^(staff|admin|token):/, '')} · “{op.reason}”
          </>
        }
        actions={<Actions operation={op} />}
      />
      <Progress operation={op} />
      <Section
        id="bulk-results"
        title="Results"
        actions={
          <Select
            label="Show"
            value={status}
            onChange={(event) => {
              setCursors([]);
              setStatus(event.target.value as BulkItemStatus | '');
            }}
          >
            <option value="">Every license</option>
            {RESULTS.map((result) => (
              <option key={result} value={result}>
                {humanize(result)} ({op.counts[result.toLowerCase() as keyof typeof op.counts].toLocaleString()})
              </option>
            ))}
          </Select>
        }
      >
        <Table
          caption={status ? `${humanize(status)} licenses` : 'Every license, in the order they are applied'}
          hideCaption
          columns={COLUMNS}
          rows={op.results.data}
          rowKey={(row) => row.license_id}
          empty={<p className={styles.muted}>No license has this result.</p>}
        />
        <Pagination
          page={cursors.length + 1}
          hasPrevious={cursors.length > 0}
          hasNext={op.results.has_more}
          onPrevious={() => setCursors(cursors.slice(0, -1))}
          onNext={() => op.results.next_cursor && setCursors([...cursors, op.results.next_cursor])}
          label="Result pages"
        />
      </Section>
    </div>
  );
}

function Actions({ operation }: { operation: BulkOperationWithResults }) {
  const { can } = useSession();
  const [confirming, setConfirming] = useState(false);
  const running = operation.status === 'RUNNING';
  return (
    <>
      <ButtonAnchor href={resultsCsvUrl(operation.id)} download>
        Download CSV
      </ButtonAnchor>
      {running && can('licenses:bulk') && (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Cancel operation…
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Cancel this bulk operation?"
        confirmLabel="Cancel the operation"
        variant="danger"
        onConfirm={async () => {
          await cancelBulkOperation(operation.id);
        }}
      >
        <p>It stops after the licenses being changed now. Licenses already changed stay changed; the others are left as they are and reported as cancelled.</p>
      </ConfirmDialog>
    </>
  );
}

function Progress({ operation }: { operation: BulkOperationWithResults }) {
  const { counts, progress } = operation;
  const finished = operation.status === 'COMPLETED' || operation.status === 'CANCELLED';
  const label = finished
    ? `${humanize(operation.status)}: ${counts.applied.toLocaleString()} applied, ${counts.skipped.toLocaleString()} skipped, ${counts.failed.toLocaleString()} failed${counts.cancelled ? `, ${counts.cancelled.toLocaleString()} cancelled` : ''}`
    : `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} licenses done`;
  return (
    <Section id="bulk-progress" title="Progress" actions={<StatusPill status={operation.status} />}>
      <div className={styles.progressRow}>
        <div className={styles.track} role="progressbar" aria-label="Bulk operation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress.percent} aria-valuetext={label}>
          <div className={styles.bar} style={{ width: `${progress.percent}%` }} />
        </div>
        <span className={styles.percent}>{progress.percent}%</span>
      </div>
      <p className={styles.muted} aria-live="polite">
        {label}
        {operation.status === 'CANCELLING' ? ' — stopping after the licenses in flight.' : ''}
      </p>
      <DescriptionList
        items={[
          { term: 'Applied', value: counts.applied.toLocaleString() },
          { term: 'Skipped', value: counts.skipped.toLocaleString() },
          { term: 'Failed', value: counts.failed.toLocaleString() },
          { term: 'Cancelled', value: counts.cancelled.toLocaleString() },
          { term: 'Pending', value: counts.pending.toLocaleString() },
          { term: 'Pace', value: `${operation.rate_per_second} licenses per second` },
          { term: 'Finished', value: <Time value={operation.finished_at} empty="not yet" /> },
          { term: 'Workflow', value: <code>{operation.workflow_id}</code>, wide: true },
        ]}
      />
    </Section>
  );
}
