import type { EntityManager } from '@mikro-orm/postgresql';
import { BULK_ITEM_STATUSES, type BulkItemStatus } from '../../schema/bulk/bulk-operation-item.entity.ts';

export type BulkItemCounts = Record<Lowercase<BulkItemStatus>, number>;

/** How many of an operation's items are in each state (one index scan). */
export async function bulkItemCounts(em: EntityManager, bulkOperationId: string): Promise<BulkItemCounts> {
  const rows = await em.execute<{ status: BulkItemStatus; count: string }[]>(
    `select status, count(*) as count from bulk_operation_item where bulk_operation_id = ? group by status`,
    [bulkOperationId],
  );
  const counts = Object.fromEntries(BULK_ITEM_STATUSES.map((status) => [status.toLowerCase(), 0])) as BulkItemCounts;
  for (const row of rows) counts[row.status.toLowerCase() as Lowercase<BulkItemStatus>] = Number(row.count);
  return counts;
}
