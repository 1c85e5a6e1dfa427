import type { BulkItemCounts } from '../../domain/bulk/bulk-item-counts.ts';
import type { BulkItemView, BulkOperationSummary } from '../../domain/bulk/get-bulk-operation.ts';
import type { BulkPreview, PreviewRow } from '../../domain/bulk/preview-bulk-operation.ts';
import { iso } from '../http/resources.ts';

const previewRow = (row: PreviewRow) => ({
  license_id: row.licenseId,
  key_hint: row.keyHint,
  customer_email: row.email,
  before: row.before,
  ...(row.after ? { after: row.after } : {}),
  ...(row.code ? { code: row.code, detail: row.detail } : {}),
});

export function bulkPreviewResource(preview: BulkPreview) {
  return {
    dry_run: true as const,
    affected: preview.affected,
    skipped: preview.skipped,
    changes: preview.changes.map(previewRow),
    skipped_licenses: preview.skippedLicenses.map(previewRow),
    unmatched: preview.unmatched,
    truncated: preview.truncated,
  };
}

/** Settled items over the items there are to settle: what the progress bar shows. */
function progress(counts: BulkItemCounts) {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const done = total - counts.pending;
  return { done, total, percent: total === 0 ? 100 : Math.floor((done * 100) / total) };
}

export function bulkOperationResource(operation: BulkOperationSummary, counts: BulkItemCounts) {
  return {
    id: operation.id,
    status: operation.status,
    operation: operation.operation,
    selection: operation.selection,
    reason: operation.reason,
    actor: operation.actor,
    rate_per_second: operation.ratePerSecond,
    total: operation.total,
    counts,
    progress: progress(counts),
    workflow_id: `bulk-${operation.id}`,
    created_at: operation.createdAt.toISOString(),
    cancel_requested_at: iso(operation.cancelRequestedAt),
    finished_at: iso(operation.finishedAt),
  };
}

export function bulkItemResource(item: BulkItemView) {
  return {
    license_id: item.licenseId,
    position: item.position,
    key_hint: item.keyHint,
    customer_email: item.email,
    status: item.status,
    before: item.before,
    after: item.after,
    code: item.code,
    detail: item.detail,
    finished_at: iso(item.finishedAt),
  };
}
