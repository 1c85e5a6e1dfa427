import { Button, Section, Table, type Column } from '@web/components';
import type { BulkPreview } from './api';
import { describeFields } from './describe';
import styles from './bulk.module.css';

type Row = BulkPreview['changes'][number];
type Unmatched = BulkPreview['unmatched'][number];

const license: Column<Row> = {
  key: 'license',
  header: 'License',
  cell: (row) => (
    <span className={styles.license}>
      <code>{row.key_hint}</code>
      {row.customer_email && <span className={styles.muted}>{row.customer_email}</span>}
    </span>
  ),
};

const CHANGE_COLUMNS: Column<Row>[] = [
  license,
  { key: 'before', header: 'Before', cell: (row) => describeFields(row.before) },
  { key: 'after', header: 'After', cell: (row) => <strong>{describeFields(row.after)}</strong> },
];
const SKIPPED_COLUMNS: Column<Row>[] = [
  license,
  { key: 'now', header: 'Now', cell: (row) => describeFields(row.before) },
  { key: 'reason', header: 'Why it is skipped', cell: (row) => row.detail ?? row.code },
];
const UNMATCHED_COLUMNS: Column<Unmatched>[] = [
  { key: 'entry', header: 'Entry in the file', cell: (row) => <code>{row.entry}</code> },
  { key: 'reason', header: 'Why', cell: (row) => row.detail },
];

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** Step 3: what the operation will do, license by license, and what it will leave alone and why. */
export function PreviewPanel({ preview, summary, canRun, onRun }: { preview: BulkPreview; summary: string; canRun: boolean; onRun: () => void }) {
  const heading =
    preview.affected === 0
      ? 'No license would change'
      : `${preview.affected === 1 ? 'This license' : `These ${preview.affected.toLocaleString()} licenses`} will be affected`;
  return (
    <Section
      id="bulk-preview"
      title={heading}
      actions={
        canRun && preview.affected > 0 ? (
          <Button variant="primary" onClick={onRun}>
            Apply to {plural(preview.affected, 'license')}…
          </Button>
        ) : undefined
      }
    >
      <p className={styles.muted} aria-live="polite">
        {summary}. {plural(preview.affected, 'license')} will change
        {preview.skipped > 0 ? `, ${plural(preview.skipped, 'license')} will be skipped` : ''}
        {preview.unmatched.length > 0 ? `, ${plural(preview.unmatched.length, 'entry', 'entries')} of the file matched nothing` : ''}.
        {preview.truncated && ' The lists show the first 500 of each; the counts are complete.'}
      </p>
      {preview.changes.length > 0 && <Table caption="Before and after" columns={CHANGE_COLUMNS} rows={preview.changes} rowKey={(row) => row.license_id} />}
      {preview.skipped_licenses.length > 0 && <Table caption={`Skipped (${preview.skipped.toLocaleString()})`} columns={SKIPPED_COLUMNS} rows={preview.skipped_licenses} rowKey={(row) => row.license_id} />}
      {preview.unmatched.length > 0 && <Table caption="Not found" columns={UNMATCHED_COLUMNS} rows={preview.unmatched} rowKey={(row) => row.entry} />}
    </Section>
  );
}
