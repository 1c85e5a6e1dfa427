import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';

/** Backoff of one message's delivery (tests shorten it). */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
}

/** About a day of attempts: 5 s doubling to 1 h, 30 tries; Retry-After overrides the gap. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { initialIntervalMs: 5_000, maximumIntervalMs: 3_600_000, maximumAttempts: 30 };

export interface MessageDeliveryInput {
  outboxId: string;
  retry?: DeliveryRetry;
}

export function messageWorkflowId(outboxId: string): string {
  return `message-${outboxId}`;
}

/**
 * Delivers one outbox message (id `message-<outbox id>`), apart from the license workflow so a
 * slow or failing provider never holds the lifecycle up. The activity retries with backoff on
 * 5xx, 429 (after Retry-After) and timeouts; a rejection (other 4xx) fails it at once. Either
 * way the outbox row ends SENT, FAILED (with the last error) or NOT_SENT.
 */
export async function messageDeliveryWorkflow(input: MessageDeliveryInput): Promise<{ status: string }> {
  const retry = input.retry ?? DEFAULT_DELIVERY_RETRY;
  const { deliverMessage } = proxyActivities<LicenseActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: retry.initialIntervalMs, backoffCoefficient: 2, maximumInterval: retry.maximumIntervalMs, maximumAttempts: retry.maximumAttempts },
  });
  const { markMessageFailed } = proxyActivities<LicenseActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  try {
    return await deliverMessage.executeWithOptions({ summary: 'Deliver message' }, [{ outboxId: input.outboxId }]);
  } catch (error) {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : (error as Error).message;
    await markMessageFailed({ outboxId: input.outboxId, error: `gave up after ${retry.maximumAttempts} attempt(s): ${cause}` });
    return { status: 'FAILED' };
  }
}
