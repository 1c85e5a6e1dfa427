import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutboxStatus } from '../../schema/outbox/outbox-message.entity.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { auditOutboxMessage, OUTBOX_ROW_COLUMNS, type OutboxRow } from './outbox-message-audit.ts';

/** Starts a new delivery run of a message whose last one ended; false while a run is still going. */
export interface MessageRedelivery {
  restartDelivery(outboxId: string, summary?: string): Promise<boolean>;
}

/** A message whose delivery has ended without sending it: FAILED (given up, rejected) or NOT_SENT (no provider then). */
export const RETRYABLE_STATUSES: readonly OutboxStatus[] = ['FAILED', 'NOT_SENT'];

/**
 * A staff retry of one outbox message: back to PENDING and a new delivery run (the message's
 * own workflow id, so never two runs at once). The row's change and its audit event
 * (`message.retried`, with the reason) commit together before the run starts, because the run
 * reads the row; should the run not start (Temporal unreachable, or the last run still closing),
 * the row goes back to what it was, with `message.retry_failed` on the trail, and the caller
 * is told. A message not ended (PENDING, SENT) is refused: `MESSAGE_NOT_RETRYABLE`.
 */
export async function retryOutboxMessage(deps: { em: EntityManager; deliveries: MessageRedelivery }, id: string, reason: string, acting: Acting): Promise<{ status: OutboxStatus }> {
  const row = await deps.em.fork().transactional(async (tx) => {
    const [found] = await tx.execute<OutboxRow[]>(`select ${OUTBOX_ROW_COLUMNS} from outbox_message where id = ? for update`, [id]);
    if (!found) throw new Refusal('MESSAGE_NOT_FOUND', `no outbox message with id ${id}`);
    if (!RETRYABLE_STATUSES.includes(found.status)) {
      throw new Refusal('MESSAGE_NOT_RETRYABLE', `this message is ${found.status}: only a FAILED or NOT_SENT message is retried${found.status === 'PENDING' ? ' (a PENDING one is still being delivered: send it now instead, POST /v1/messages/{id}/send-now)' : ''}`);
    }
    await tx.execute(`update outbox_message set status = 'PENDING', updated_at = now() where id = ?`, [id]);
    await auditOutboxMessage(tx, acting, found, 'message.retried', reason, { status: 'PENDING' });
    return found;
  });

  let started = false;
  let failure: unknown;
  try {
    started = await deps.deliveries.restartDelivery(id, `${row.event} · ${row.channel} · retry`);
  } catch (error) {
    failure = error;
  }
  if (started) return { status: 'PENDING' };

  // Nothing will deliver it: put it back as it was, and say so on the trail.
  const why = failure ? 'the delivery could not be started (the lifecycle engine did not answer)' : 'its previous delivery run had not finished yet';
  await deps.em.fork().transactional(async (tx) => {
    await tx.execute(`update outbox_message set status = ?, updated_at = now() where id = ? and status = 'PENDING'`, [row.status, id]);
    await auditOutboxMessage(tx, acting, { ...row, status: 'PENDING' }, 'message.retry_failed', why, { status: row.status });
  });
  if (failure) throw failure;
  throw new Refusal('MESSAGE_DELIVERY_BUSY', `${why}; try again in a moment`);
}
