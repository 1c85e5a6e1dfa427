import type { EntityManager } from '@mikro-orm/postgresql';
import { systemActor } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { bulkItemCounts } from './bulk-item-counts.ts';

/**
 * Closes an operation once its workflow is done: items still pending are CANCELLED (it was
 * cancelled) or FAILED (they could not be reached), the operation COMPLETED or CANCELLED, and
 * the outcome audited. Only the first call does anything.
 */
export async function finishBulkOperation(em: EntityManager, bulkOperationId: string, cancelled: boolean): Promise<void> {
  await em.fork().transactional(async (tx) => {
    const [operation] = await tx.execute<{ actor: string; reason: string }[]>(
      `update bulk_operation set status = ?::bulk_operation_status, finished_at = clock_timestamp()
        where id = ? and finished_at is null returning actor, reason`,
      [cancelled ? 'CANCELLED' : 'COMPLETED', bulkOperationId],
    );
    if (!operation) return;
    await tx.execute(
      `update bulk_operation_item set status = ?::bulk_item_status, code = ?, detail = ?, finished_at = clock_timestamp()
        where bulk_operation_id = ? and status = 'PENDING'`,
      cancelled ? ['CANCELLED', 'CANCELLED', 'the operation was cancelled before this license\'s turn', bulkOperationId] : ['FAILED', 'NOT_APPLIED', 'the operation ended before this license was reached', bulkOperationId],
    );
    await recordAuditEvent(tx, {
      actor: systemActor('bulk-operation'),
      action: cancelled ? 'bulk_operation.cancelled' : 'bulk_operation.completed',
      target: { type: 'bulk_operation', id: bulkOperationId },
      reason: operation.reason,
      after: { requested_by: operation.actor, ...(await bulkItemCounts(tx, bulkOperationId)) },
    });
  });
}
