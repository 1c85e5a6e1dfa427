import { Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { applyBulkItem } from '../domain/bulk/apply-bulk-item.ts';
import { finishBulkOperation } from '../domain/bulk/finish-bulk-operation.ts';
import { nextBulkItems } from '../domain/bulk/next-bulk-items.ts';
import { settleBulkItem } from '../domain/bulk/settle-bulk-item.ts';
import type { LicenseLifecycle } from '../domain/lifecycle/license-lifecycle.ts';

/** How often a license's update in flight reports that the activity is alive (its heartbeat timeout is longer). */
const HEARTBEAT_EVERY_MS = 2_000;

/** The bulk operation workflow's activities: thin adapters of domain/bulk/. */
export function bulkOperationActivities(deps: { em: EntityManager; lifecycle: LicenseLifecycle }) {
  return {
    nextBulkItems: (input: { bulkOperationId: string; afterPosition: number; limit: number }) => nextBulkItems(deps.em, input.bulkOperationId, input.afterPosition, input.limit),
    /** One license's change, exactly once; the heartbeat lets a dead worker's attempt be retried within seconds. */
    applyBulkItem: async (input: { bulkOperationId: string; licenseId: string }) => {
      const heartbeat = setInterval(() => Context.current().heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        Context.current().heartbeat();
        return await applyBulkItem(deps, input.bulkOperationId, input.licenseId);
      } finally {
        clearInterval(heartbeat);
      }
    },
    /** An item its retries could not apply: FAILED, with what went wrong (unless it settled meanwhile). */
    failBulkItem: (input: { bulkOperationId: string; licenseId: string; detail: string }) =>
      settleBulkItem(deps.em, { bulkOperationId: input.bulkOperationId, licenseId: input.licenseId, status: 'FAILED', code: 'APPLY_FAILED', detail: input.detail }),
    finishBulkOperation: (input: { bulkOperationId: string; cancelled: boolean }) => finishBulkOperation(deps.em, input.bulkOperationId, input.cancelled),
  };
}

export type BulkOperationActivities = ReturnType<typeof bulkOperationActivities>;
