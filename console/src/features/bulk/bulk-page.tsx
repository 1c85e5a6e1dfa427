import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, ConfirmDialog, EmptyState, ErrorState, Loading, PageHeader, Pagination, Section, StatusPill, Table, Time, type Column } from '@web/components';
import { ApiError } from '@web/api/api-error';
import { useSession } from '../auth/session';
import { useCatalog } from '../search/api';
import { useBulkOperations, usePreview, useStartBulk, type BulkOperation } from './api';
import { EMPTY_OPERATION, EMPTY_SELECTION, fieldErrorsOf, requestOf, type FormErrors } from './bulk-form-state';
import { describeOperation } from './describe';
import { OperationFields } from './operation-fields';
import { PreviewPanel } from './preview-panel';
import { SelectionFields } from './selection-fields';
import styles from './bulk.module.css';

/**
 * Bulk operations: choose licenses (filter or CSV), choose the change, read the preview, then
 * confirm with a reason; the run's progress and report are on its own page. Recent operations below.
 * Only roles holding licenses:bulk see the form (the API refuses the others anyway).
 */
export function BulkPage() {
  const { can } = useSession();
  const mayRun = can('licenses:bulk');
  return (
    <div className={styles.page}>
      <PageHeader title="Bulk operations" description="Change many licenses at once: every change goes through each license's own workflow and is audited with your name, your reason and the operation." />
      {mayRun ? <NewOperation /> : <p className={styles.notice}>Your role can follow bulk operations but not run them.</p>}
      <RecentOperations />
    </div>
  );
}

function NewOperation() {
  const navigate = useNavigate();
  const catalog = useCatalog();
  const [selection, setSelection] = useState(EMPTY_SELECTION);
  const [operation, setOperation] = useState(EMPTY_OPERATION);
  const [errors, setErrors] = useState<FormErrors>({});
  const [confirming, setConfirming] = useState(false);
  const preview = usePreview();
  const start = useStartBulk();
  const { body } = requestOf(selection, operation);
  // The preview stands for the request it was made for: any change to the form asks for a new one.
  const current = preview.data && JSON.stringify(preview.variables) === JSON.stringify(body) ? preview.data : undefined;
  const planName = (id: string) => catalog.data?.plans.find((plan) => plan.id === id)?.name;
  const summary = body ? describeOperation(body.operation, planName) : '';

  const runPreview = () => {
    const checked = requestOf(selection, operation);
    setErrors(checked.errors);
    if (!checked.body) return;
    preview.mutate(checked.body, { onError: (error) => error instanceof ApiError && setErrors(fieldErrorsOf(error.errors)) });
  };

  const apiError = preview.error instanceof ApiError && preview.error.errors.length === 0 ? preview.error : null;
  return (
    <>
      <Section id="bulk-new" title="New bulk operation">
        <form
          className={styles.form}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            runPreview();
          }}
        >
          <SelectionFields value={selection} onChange={setSelection} errors={errors} />
          <OperationFields value={operation} onChange={setOperation} errors={errors} />
          <div className={styles.formActions}>
            <Button type="submit" busy={preview.isPending}>
              Preview
            </Button>
            {apiError && (
              <p role="alert" className={styles.fieldError}>
                {apiError.detail} <span className={styles.code}>({apiError.code})</span>
              </p>
            )}
          </div>
        </form>
      </Section>
      {current && body && <PreviewPanel preview={current} summary={summary} canRun onRun={() => setConfirming(true)} />}
      {current && body && (
        <ConfirmDialog
          open={confirming}
          onClose={() => setConfirming(false)}
          title={`${summary} on ${current.affected.toLocaleString()} license${current.affected === 1 ? '' : 's'}?`}
          confirmLabel={`Apply to ${current.affected.toLocaleString()} license${current.affected === 1 ? '' : 's'}`}
          variant={body.operation.type === 'revoke' || body.operation.type === 'suspend' ? 'danger' : 'primary'}
          reason={{ label: 'Reason', hint: 'Recorded on every license it changes, with your name.', required: true }}
          onConfirm={async (reason) => {
            const started = await start.mutateAsync({ ...body, reason, dry_run: false });
            navigate(`/bulk/${started.id}`);
          }}
        >
          <p>
            {summary} on {current.affected.toLocaleString()} license{current.affected === 1 ? '' : 's'}
            {current.skipped ? `; ${current.skipped.toLocaleString()} will be skipped` : ''}. Each license changes through its own workflow, a few per second; you can cancel
            while it runs.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

const COLUMNS: Column<BulkOperation>[] = [
  { key: 'operation', header: 'Operation', cell: (row) => <Link to={`/bulk/${row.id}`}>{describeOperation(row.operation)}</Link> },
  { key: 'status', header: 'Status', cell: (row) => <StatusPill status={row.status} /> },
  { key: 'progress', header: 'Applied', cell: (row) => `${row.counts.applied.toLocaleString()} of ${row.total.toLocaleString()}` },
  { key: 'by', header: 'By', cell: (row) => row.actor.replace(/^(staff|admin|token):/, ''), wideOnly: true },
  { key: 'when', header: 'Started', cell: (row) => <Time value={row.created_at} relative /> },
];

function RecentOperations() {
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useBulkOperations(cursors[cursors.length - 1]);
  return (
    <Section id="bulk-recent" title="Recent operations">
      {list.isPending ? (
        <Loading label="Loading operations…" />
      ) : list.isError ? (
        <ErrorState error={list.error} title="The operations could not be loaded" onRetry={() => void list.refetch()} />
      ) : list.data.data.length === 0 && cursors.length === 0 ? (
        <EmptyState title="No bulk operations yet" compact>
          Operations appear here once started, with their progress and report.
        </EmptyState>
      ) : (
        <>
          <Table caption="Bulk operations, newest first" hideCaption columns={COLUMNS} rows={list.data.data} rowKey={(row) => row.id} />
          <Pagination
            page={cursors.length + 1}
            hasPrevious={cursors.length > 0}
            hasNext={list.data.has_more}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={() => list.data.next_cursor && setCursors([...cursors, list.data.next_cursor])}
            label="Bulk operation pages"
          />
        </>
      )}
    </Section>
  );
}
