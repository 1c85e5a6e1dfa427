import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutboxStatus } from '../../schema/outbox/outbox-message.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from '../staff/staff-deps.ts';

/** Asks a message's delivery to send now: wakes the run waiting to try again, or starts one where none runs. */
export interface MessageSendNow {
  sendDeliveryNow(outboxId: string, summary?: string): Promise<void>;
}

interface Row {
  id: string;
  license_id: string;
  event: string;
  channel: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
}

/**
 * A staff "send now" of a PENDING message: its delivery stops waiting to try again (its backoff
 * after a failure, or the provider's Retry-After), takes a new send time within the provider's
 * rate limit and sends; a message whose delivery never started (Temporal was unreachable then)
 * gets one now. Audited as `message.send_requested` with the reason, once the delivery has been
 * asked (Temporal unreachable: nothing is recorded, and the caller gets the outage). A message
 * not PENDING is refused: `MESSAGE_NOT_PENDING` (a FAILED or NOT_SENT one is retried instead).
 */
export async function sendOutboxMessageNow(deps: { em: EntityManager; deliveries: MessageSendNow }, id: string, reason: string, acting: Acting): Promise<void> {
  const [row] = await deps.em.fork().execute<Row[]>(`select id, license_id, event, channel, status, attempts, last_error from outbox_message where id = ?`, [id]);
  if (!row) throw new Refusal('MESSAGE_NOT_FOUND', `no outbox message with id ${id}`);
  if (row.status !== 'PENDING') {
    const instead = row.status === 'SENT' ? 'it has been sent' : 'retry it instead (POST /v1/messages/{id}/retry)';
    throw new Refusal('MESSAGE_NOT_PENDING', `this message is ${row.status}: only a PENDING message waits to be sent; ${instead}`);
  }
  await deps.deliveries.sendDeliveryNow(id, `${row.event} · ${row.channel} · send now`);
  await deps.em.fork().transactional((tx) =>
    recordAuditEvent(tx, {
      actor: acting.actor,
      origin: acting.origin,
      action: 'message.send_requested',
      target: { type: 'outbox_message', id: row.id },
      licenseId: row.license_id,
      reason,
      before: { event: row.event, channel: row.channel, status: row.status, attempts: row.attempts, last_error: row.last_error },
      after: { status: 'PENDING' },
    }),
  );
}
