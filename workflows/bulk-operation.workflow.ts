import { ActivityFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { BulkOperationActivities } from '../activities/bulk-operations.ts';
import { bulkProgressQuery, cancelBulkOperationSignal, type BulkOperationInput } from './bulk-messages.ts';

/** At most this many licenses' updates in flight at once (fewer at a lower rate). */
const MAX_PARALLEL = 20;
const PAGE = 200;
/** Continue-as-new after this many items, so a 50,000-license run keeps each history small. */
const ITEMS_PER_RUN = 1_000;

const activities = proxyActivities<BulkOperationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});
const applying = proxyActivities<BulkOperationActivities>({
  // The update waits for the license's own activity; a worker that dies mid-call stops heartbeating.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/**
 * One bulk operation (`bulk-<id>`): applies its pending items in order, each through an
 * activity that sends the license's own workflow update exactly once (domain/bulk/apply-bulk-item.ts),
 * a few at a time and paced to `ratePerSecond`; stops when cancelled (signal, or the row's flag);
 * then closes the operation. The items live in Postgres, so the workflow carries only a position.
 */
export async function bulkOperationWorkflow(input: BulkOperationInput): Promise<void> {
  const { bulkOperationId } = input;
  let cancelled = input.cancelled ?? false;
  let afterPosition = input.afterPosition ?? -1;
  let handled = 0;
  setHandler(cancelBulkOperationSignal, () => {
    cancelled = true;
  });
  setHandler(bulkProgressQuery, () => ({ afterPosition, cancelled }));

  const rate = Math.max(1, input.ratePerSecond);
  const parallel = Math.min(MAX_PARALLEL, rate);

  async function apply(licenseId: string): Promise<void> {
    try {
      await applying.applyBulkItem({ bulkOperationId, licenseId });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await activities.failBulkItem({ bulkOperationId, licenseId, detail: error.cause?.message ?? error.message });
    }
  }

  while (!cancelled) {
    let next;
    try {
      next = await activities.nextBulkItems({ bulkOperationId, afterPosition, limit: PAGE });
    } catch (error) {
      // The operation was never recorded (its transaction rolled back): nothing to do.
      if (error instanceof ActivityFailure) return;
      throw error;
    }
    cancelled ||= next.cancelRequested;
    if (next.items.length === 0) break;
    for (let start = 0; start < next.items.length && !cancelled; start += parallel) {
      const batch = next.items.slice(start, start + parallel);
      const began = Date.now();
      await Promise.all(batch.map((item) => apply(item.licenseId)));
      afterPosition = batch[batch.length - 1]!.position;
      handled += batch.length;
      // Paced: a batch of n takes at least n / rate seconds; a cancellation cuts the wait short.
      const wait = (batch.length * 1000) / rate - (Date.now() - began);
      if (wait > 0) await condition(() => cancelled, wait);
    }
    if (!cancelled && (handled >= ITEMS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof bulkOperationWorkflow>({ ...input, afterPosition, cancelled });
    }
  }
  await activities.finishBulkOperation({ bulkOperationId, cancelled });
}
