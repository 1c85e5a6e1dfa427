import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { messageWorkflowId, type DeliveryRetry, type messageDeliveryWorkflow } from '../workflows/message-delivery.workflow.ts';

/**
 * Task priority of a delivery someone is waiting for (a license key): its workflow tasks and
 * activity are dispatched ahead of the task queue's backlog, e.g. a burst of reminders
 * (Temporal's default is 3; 1 runs first).
 */
const URGENT_PRIORITY = { priorityKey: 1 };

/**
 * Starts the delivery workflow of an outbox message. Starting is idempotent: the workflow id is
 * the message's, duplicates are refused, and an already-started delivery is fine (false).
 */
export async function startDeliveryWorkflow(deps: { temporal: Client; taskQueue: string; deliveryRetry?: DeliveryRetry }, outboxId: string, summary?: string, urgent = false): Promise<boolean> {
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
