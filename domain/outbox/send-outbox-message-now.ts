import type { EntityManager } from '@mikro-orm/postgresql';
import { Refusal } from '../refusal.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { auditOutboxMessage, OUTBOX_ROW_COLUMNS, type OutboxRow } from './outbox-message-audit.ts';

/** What became of a "send now": the running delivery woke, one was started, or the delivery refused (why). */
export type SendNowOutcome = { outcome: 'woken' } | { outcome: 'started' } | { outcome: 'refused'; why: string };

/** Asks a message's delivery to send now: wakes the run waiting to try again, or starts one where none runs. */
export interface MessageSendNow {
  sendDeliveryNow(outboxId: string, summary?: string): Promise<SendNowOutcome>;
}

/**
 * A staff "send now" of a PENDING message: its delivery stops waiting to try again (its backoff
 * after a failure, or the provider's Retry-After), takes a new send time within the provider's
 * rate limit and sends; a message whose delivery is not running (its start was lost) gets one.
 * The ask (`message.send_requested`, with the reason) is on the trail before the delivery is
 * asked, as a retry's is; should the delivery refuse (it is giving up:
 * `MESSAGE_CANNOT_SEND_NOW`) or Temporal not answer, `message.send_request_failed`
 * follows with why. A message not PENDING is refused at once: `MESSAGE_NOT_PENDING`.
 */
export async function sendOutboxMessageNow(deps: { em: EntityManager; deliveries: MessageSendNow }, id: string, reason: string, acting: Acting): Promise<SendNowOutcome['outcome']> {
  const audit = (row: OutboxRow, action: string, why: string, after: Record<string, unknown>) =>
    deps.em.fork().transactional((tx) => auditOutboxMessage(tx, acting, row, action, why, after));

  const [row] = await deps.em.fork().execute<OutboxRow[]>(`select ${OUTBOX_ROW_COLUMNS} from outbox_message where id = ?`, [id]);
  if (!row) throw new Refusal('MESSAGE_NOT_FOUND', `no outbox message with id ${id}`);
  if (row.status !== 'PENDING') {
    const instead = row.status === 'SENT' ? 'it has been sent' : 'retry it instead (POST /v1/messages/{id}/retry)';
    throw new Refusal('MESSAGE_NOT_PENDING', `this message is ${row.status}: only a PENDING message waits to be sent; ${instead}`);
  }
  await audit(row, 'message.send_requested', reason, { status: 'PENDING' });

  let answer: SendNowOutcome;
  try {
    answer = await deps.deliveries.sendDeliveryNow(id, `${row.event} · ${row.channel} · send now`);
  } catch (error) {
    await audit(row, 'message.send_request_failed', 'the delivery could not be asked (the lifecycle engine did not answer)', { status: 'PENDING' });
    throw error;
  }
  if (answer.outcome === 'refused') {
    await audit(row, 'message.send_request_failed', answer.why, { status: 'PENDING' });
    throw new Refusal('MESSAGE_CANNOT_SEND_NOW', `${answer.why}`);
  }
  return answer.outcome;
}
