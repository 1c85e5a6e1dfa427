import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { OutboxChannel } from '../schema/outbox/outbox-message.entity.ts';
import { messageWorkflowId, type DeliveryRetry, type messageDeliveryWorkflow } from '../workflows/message-delivery.workflow.ts';
import { isUrgent } from './provider-budgets.ts';

/** What queueing needs: the outbox, and Temporal to start the message's delivery workflow. */
export interface MessageQueueDeps {
  em: EntityManager;
  /** Without it the message waits in the outbox for the worker's sweep. */
  temporal?: Client;
  taskQueue?: string;
  deliveryRetry?: DeliveryRetry;
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
 * Task priority of a delivery someone is waiting for (a license key): its workflow tasks and
 * activity are dispatched ahead of the task queue's backlog, e.g. a burst of reminders
 * (Temporal's default is 3; 1 runs first).
 */
const URGENT_PRIORITY = { priorityKey: 1 };

/**
 * Starts the delivery workflow of an outbox message. Starting is idempotent: the workflow id is
 * the message's, duplicates are refused, and an already-started delivery is fine.
 */
export async function startDelivery(deps: MessageQueueDeps, outboxId: string, summary?: string, urgent = false): Promise<boolean> {
  if (!deps.temporal || !deps.taskQueue) return false;
  try {
    await deps.temporal.workflow.start<typeof messageDeliveryWorkflow>('messageDeliveryWorkflow', {
      workflowId: messageWorkflowId(outboxId),
      taskQueue: deps.taskQueue,
      args: [{ outboxId, ...(deps.deliveryRetry ? { retry: deps.deliveryRetry } : {}) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...(summary ? { staticSummary: summary } : {}),
      ...(urgent ? { priority: URGENT_PRIORITY } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
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
