import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutboxChannel } from '../../schema/outbox/outbox-message.entity.ts';
import { isUrgent } from './message-events.ts';

/** Starts the delivery of outbox messages: idempotent per message (an already-started delivery answers false). */
export interface MessageDeliveries {
  startDelivery(outboxId: string, summary?: string, urgent?: boolean): Promise<boolean>;
}

/** What queueing needs: the outbox, and a way to start the message's delivery. */
export interface MessageQueueDeps {
  em: EntityManager;
  /** Without it the message waits in the outbox for the worker's sweep. */
  deliveries?: MessageDeliveries;
}

export interface QueuedMessage {
  licenseId: string;
  event: string;
  channel: OutboxChannel;
  /** The same key is never recorded twice. */
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/**
 * Starts an outbox message's delivery (temporal/lifecycle-client.ts: its delivery workflow); false
 * when it was started before. An urgent one (someone waits for it: a license key) goes ahead of
 * the task queue's backlog, e.g. a burst of reminders.
 */
export async function startDelivery(deps: MessageQueueDeps, outboxId: string, summary?: string, urgent = false): Promise<boolean> {
  return deps.deliveries ? deps.deliveries.startDelivery(outboxId, summary, urgent) : false;
}

/**
 * Starts the delivery of the message recorded under this idempotency key, if it still waits
 * (PENDING): for rows written inside a larger transaction, once it has committed. Answers
 * whether a delivery was started here (false: none waits, or it was already started).
 */
export async function startRecordedDelivery(deps: MessageQueueDeps, idempotencyKey: string): Promise<boolean> {
  const [row] = await deps.em.fork().execute<{ id: string; event: string; channel: string; status: string }[]>(
    `select id, event, channel, status from outbox_message where idempotency_key = ?`,
    [idempotencyKey],
  );
  if (!row || row.status !== 'PENDING') return false;
  return startDelivery(deps, row.id, `${row.event} · ${row.channel}`, isUrgent(row));
}

/**
 * Records a message in the outbox once per idempotency key (recipient: the customer's email),
 * then starts its delivery. A repeat finds the row and (re)starts its delivery, which covers a
 * crash between the insert and the start.
 */
export async function queueMessage(deps: MessageQueueDeps, message: QueuedMessage): Promise<{ id: string | null; recorded: boolean }> {
  const em = deps.em.fork();
  const inserted = await em.execute<{ id: string }[]>(
    `insert into outbox_message (id, license_id, event, channel, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
     select ?, l.id, ?, ?, ?, c.email, ?, 'PENDING', 0, now(), now()
       from license l left join customer c on c.id = l.customer_id where l.id = ?
     on conflict (idempotency_key) do nothing returning id`,
    [randomUUID(), message.event, message.channel, message.idempotencyKey, JSON.stringify(message.data), message.licenseId],
  );
  let id = inserted[0]?.id ?? null;
  if (!id) {
    const [existing] = await em.execute<{ id: string; status: string }[]>(`select id, status from outbox_message where idempotency_key = ?`, [message.idempotencyKey]);
    if (!existing) return { id: null, recorded: false };
    id = existing.id;
    if (existing.status !== 'PENDING') return { id, recorded: false };
  }
  await startDelivery(deps, id, `${message.event} · ${message.channel}`, isUrgent(message));
  return { id, recorded: inserted.length > 0 };
}
