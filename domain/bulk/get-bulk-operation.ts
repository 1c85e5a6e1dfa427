import type { EntityManager } from '@mikro-orm/postgresql';
import type { BulkOperationStatus } from '../../schema/bulk/bulk-operation.entity.ts';
import type { BulkItemStatus } from '../../schema/bulk/bulk-operation-item.entity.ts';
import { DomainError } from '../domain-error.ts';
import type { BulkOperationSpec } from './bulk-operation-input.ts';
import { bulkItemCounts, type BulkItemCounts } from './bulk-item-counts.ts';
import type { ChangeFields } from './plan-bulk-change.ts';
import { toDate } from './select-bulk-licenses.ts';

export interface BulkOperationSummary {
  id: string;
  status: BulkOperationStatus;
  operation: BulkOperationSpec;
  selection: Record<string, unknown>;
  reason: string;
  actor: string;
  ratePerSecond: number;
  total: number;
  createdAt: Date;
  cancelRequestedAt: Date | null;
  finishedAt: Date | null;
}

export interface BulkItemView {
  licenseId: string;
  position: number;
  keyHint: string;
  email: string | null;
  status: BulkItemStatus;
  before: ChangeFields;
  after: ChangeFields | null;
  code: string | null;
  detail: string | null;
  finishedAt: Date | null;
}

interface OperationRow {
  id: string;
  status: BulkOperationStatus;
  operation: BulkOperationSpec;
  selection: Record<string, unknown>;
  reason: string;
  actor: string;
  rate_per_second: number;
  total: number;
  created_at: Date | string;
  cancel_requested_at: Date | string | null;
  finished_at: Date | string | null;
}

const summary = (row: OperationRow): BulkOperationSummary => ({
  id: row.id,
  status: row.status,
  operation: row.operation,
  selection: row.selection,
  reason: row.reason,
  actor: row.actor,
  ratePerSecond: row.rate_per_second,
  total: row.total,
  createdAt: toDate(row.created_at)!,
  cancelRequestedAt: toDate(row.cancel_requested_at),
  finishedAt: toDate(row.finished_at),
});

const OPERATION_COLUMNS = 'id, status, operation, selection, reason, actor, rate_per_second, total, created_at, cancel_requested_at, finished_at';

/** Newest first, a page at a time (keyset on created_at, id). */
export async function listBulkOperations(em: EntityManager, limit: number, before?: { createdAt: Date; id: string }): Promise<{ operations: (BulkOperationSummary & { counts: BulkItemCounts })[]; hasMore: boolean }> {
  const fork = em.fork();
  const rows = await fork.execute<OperationRow[]>(
    `select ${OPERATION_COLUMNS} from bulk_operation ${before ? 'where (created_at, id) < (?::timestamptz, ?::uuid)' : ''} order by created_at desc, id desc limit ?`,
    before ? [before.createdAt, before.id, limit + 1] : [limit + 1],
  );
  const page = rows.slice(0, limit);
  const operations = await Promise.all(page.map(async (row) => ({ ...summary(row), counts: await bulkItemCounts(fork, row.id) })));
  return { operations, hasMore: rows.length > limit };
}

/** An operation, its counts by item status, and one page of its items in order (optionally of one status). */
export async function getBulkOperation(
  em: EntityManager,
  id: string,
  page: { limit: number; afterPosition?: number; status?: BulkItemStatus },
): Promise<{ operation: BulkOperationSummary; counts: BulkItemCounts; items: BulkItemView[]; hasMore: boolean }> {
  const fork = em.fork();
  const [row] = await fork.execute<OperationRow[]>(`select ${OPERATION_COLUMNS} from bulk_operation where id = ?`, [id]);
  if (!row) throw new DomainError('BULK_OPERATION_NOT_FOUND', `no bulk operation with id ${id}`);
  const items = await bulkItems(fork, id, { ...page, limit: page.limit + 1 });
  return { operation: summary(row), counts: await bulkItemCounts(fork, id), items: items.slice(0, page.limit), hasMore: items.length > page.limit };
}

/** Items in order from a position: the API's pages and the CSV report's chunks. */
export async function bulkItems(em: EntityManager, id: string, page: { limit: number; afterPosition?: number; status?: BulkItemStatus }): Promise<BulkItemView[]> {
  const rows = await em.execute<Record<string, any>[]>(
    `select i.license_id, i.position, l.key_hint, c.email, i.status, i.before, i.after, i.code, i.detail, i.finished_at
       from bulk_operation_item i join license l on l.id = i.license_id left join customer c on c.id = l.customer_id
      where i.bulk_operation_id = ? and i.position > ? ${page.status ? 'and i.status = ?::bulk_item_status' : ''}
      order by i.position limit ?`,
    [id, page.afterPosition ?? -1, ...(page.status ? [page.status] : []), page.limit],
  );
  return rows.map((item) => ({
    licenseId: item.license_id,
    position: item.position,
    keyHint: item.key_hint,
    email: item.email,
    status: item.status,
    before: item.before,
    after: item.after,
    code: item.code,
    detail: item.detail,
    finishedAt: toDate(item.finished_at),
  }));
}
