import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor, RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { BulkOperationEngine } from './bulk-operation-engine.ts';

/**
 * Asks a running operation to stop: recorded first (the workflow also reads it, should the
 * signal be late), then signalled. Licenses already changed stay changed; those whose turn has
 * not come are reported CANCELLED once the workflow stops. Asking twice is harmless.
 */
export async function cancelBulkOperation(
  deps: { em: EntityManager; bulkOperations: BulkOperationEngine },
  bulkOperationId: string,
  by: { actor: AuditActor; origin: RequestOrigin },
): Promise<void> {
  await deps.em.fork().transactional(async (tx) => {
    const [operation] = await tx.execute<{ status: string; cancel_requested_at: Date | null }[]>(
      `select status, cancel_requested_at from bulk_operation where id = ? for update`,
      [bulkOperationId],
    );
    if (!operation) throw new DomainError('BULK_OPERATION_NOT_FOUND', `no bulk operation with id ${bulkOperationId}`);
    if (operation.status === 'COMPLETED' || operation.status === 'CANCELLED') {
      throw new DomainError('BULK_OPERATION_FINISHED', `the bulk operation has already ${operation.status === 'COMPLETED' ? 'completed' : 'been cancelled'}`);
    }
    if (operation.cancel_requested_at) return; // asked before: the signal is sent again below
    await tx.execute(`update bulk_operation set status = 'CANCELLING', cancel_requested_at = clock_timestamp() where id = ?`, [bulkOperationId]);
    await recordAuditEvent(tx, { actor: by.actor, action: 'bulk_operation.cancel_requested', target: { type: 'bulk_operation', id: bulkOperationId }, origin: by.origin });
  });
  await deps.bulkOperations.cancelBulkOperation(bulkOperationId);
}
