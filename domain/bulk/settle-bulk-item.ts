import type { EntityManager } from '@mikro-orm/postgresql';
import type { BulkItemStatus } from '../../schema/bulk/bulk-operation-item.entity.ts';

export interface SettleBulkItemInput {
  bulkOperationId: string;
  licenseId: string;
  status: BulkItemStatus;
  code?: string | null;
  detail?: string | null;
}

/**
 * Records an item's result once: only a PENDING item is settled, so a late or repeated call
 * never overwrites the first result. Returns the status the item has now.
 */
export async function settleBulkItem(em: EntityManager, input: SettleBulkItemInput): Promise<BulkItemStatus> {
  const rows = await em.fork().execute<{ status: BulkItemStatus }[]>(
    `with settled as (
       update bulk_operation_item set status = ?::bulk_item_status, code = ?, detail = ?, finished_at = clock_timestamp()
        where bulk_operation_id = ? and license_id = ? and status = 'PENDING' returning status)
     select status from settled
     union all
     select status from bulk_operation_item where bulk_operation_id = ? and license_id = ? and not exists (select 1 from settled)`,
    [input.status, input.code ?? null, input.detail?.slice(0, 2000) ?? null, input.bulkOperationId, input.licenseId, input.bulkOperationId, input.licenseId],
  );
  return rows[0]?.status ?? input.status;
}
