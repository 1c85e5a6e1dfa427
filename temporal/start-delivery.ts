import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { messageWorkflowId, sendNowSignal, type DeliveryRetry, type messageDeliveryWorkflow } from '../workflows/message-delivery.workflow.ts';

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
 * Staff's "send now" of a PENDING message, in one call: the running delivery is signalled (it
 * stops waiting to try again), and where none runs (its start was lost) one is started, with
 * the signal already in it.
 */
export async function sendDeliveryNow(deps: { temporal: Client; taskQueue: string; deliveryRetry?: DeliveryRetry }, outboxId: string, summary?: string): Promise<void> {
  await deps.temporal.workflow.signalWithStart<typeof messageDeliveryWorkflow, []>('messageDeliveryWorkflow', {
    workflowId: messageWorkflowId(outboxId),
    taskQueue: deps.taskQueue,
    args: [{ outboxId, ...(deps.deliveryRetry ? { retry: deps.deliveryRetry } : {}) }],
    signal: sendNowSignal,
    signalArgs: [],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    ...(summary ? { staticSummary: summary } : {}),
    // Someone is waiting for it.
    priority: URGENT_PRIORITY,
  });
}
