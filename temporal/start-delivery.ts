import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { SendNowOutcome } from '../domain/outbox/send-outbox-message-now.ts';
import { messageWorkflowId, sendNowUpdate, type DeliveryRetry, type messageDeliveryWorkflow } from '../workflows/message-delivery.workflow.ts';

/**
 * Task priority of a delivery someone is waiting for (a license key): its workflow tasks and
 * activity are dispatched ahead of the task queue's backlog, e.g. a burst of reminders
 * (Temporal's default is 3; 1 runs first).
 */
const URGENT_PRIORITY = { priorityKey: 1 };

/**
 * Starts the delivery workflow of an outbox message. Starting is idempotent: the workflow id is
 * the message's, duplicates are refused, and an already-started delivery is fine (false).
 * `urgent`: someone waits for it (a license key): its tasks go ahead of the queue's backlog.
 * `again`: a staff retry of a message whose delivery has ended: a new run under the same id
 * (still never two at once: a delivery still running answers false).
 */
export async function startDeliveryWorkflow(
  deps: { temporal: Client; taskQueue: string; deliveryRetry?: DeliveryRetry },
  outboxId: string,
  summary?: string,
  options: { again?: boolean; urgent?: boolean } = {},
): Promise<boolean> {
  try {
    await deps.temporal.workflow.start<typeof messageDeliveryWorkflow>('messageDeliveryWorkflow', {
      workflowId: messageWorkflowId(outboxId),
      taskQueue: deps.taskQueue,
      args: [{ outboxId, ...(deps.deliveryRetry ? { retry: deps.deliveryRetry } : {}) }],
      workflowIdReusePolicy: options.again ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      ...(summary ? { staticSummary: summary } : {}),
      ...(options.urgent ? { priority: URGENT_PRIORITY } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/**
 * Staff's "send now" of a PENDING message: the running delivery is asked through its update,
 * whose validator refuses where it would change nothing (a run giving up); where no run is open
 * (its start was lost, or the last one has ended) one starts.
 */
export async function sendDeliveryNow(deps: { temporal: Client; taskQueue: string; deliveryRetry?: DeliveryRetry }, outboxId: string, summary?: string): Promise<SendNowOutcome> {
  try {
    await deps.temporal.workflow.getHandle(messageWorkflowId(outboxId)).executeUpdate(sendNowUpdate);
    return { outcome: 'woken' };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { outcome: 'refused', why: error.cause?.message ?? error.message };
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const started = await startDeliveryWorkflow(deps, outboxId, summary, { again: true, urgent: true });
  return started ? { outcome: 'started' } : { outcome: 'refused', why: 'its delivery was starting at that moment; try again in a moment' };
}
