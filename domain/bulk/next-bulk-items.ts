import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../domain-error.ts';

export interface NextBulkItems {
  /** Pending licenses after `afterPosition`, in order. */
  items: { licenseId: string; position: number }[];
  /** Cancellation was asked for (the workflow's signal may be late, or arrive across a continue-as-new). */
  cancelRequested: boolean;
}

/**
 * The workflow's next page of pending items. An operation not found yet is a fault, not an
 * answer: the workflow starts inside the transaction that records the operation, and its first
 * call may come before that transaction commits; the retry finds it.
 */
export async function nextBulkItems(em: EntityManager, bulkOperationId: string, afterPosition: number, limit: number): Promise<NextBulkItems> {
  const fork = em.fork();
  const [operation] = await fork.execute<{ cancel_requested_at: Date | null }[]>(`select cancel_requested_at from bulk_operation where id = ?`, [bulkOperationId]);
  if (!operation) throw new DomainError('BULK_OPERATION_NOT_FOUND', `bulk operation ${bulkOperationId} is not recorded (yet)`);
  const rows = await fork.execute<{ license_id: string; position: number }[]>(
    `select license_id, position from bulk_operation_item
      where bulk_operation_id = ? and status = 'PENDING' and position > ? order by position limit ?`,
    [bulkOperationId, afterPosition, limit],
  );
  return { items: rows.map((row) => ({ licenseId: row.license_id, position: row.position })), cancelRequested: operation.cancel_requested_at !== null };
}
