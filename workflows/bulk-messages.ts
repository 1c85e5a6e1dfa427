import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The input of a bulk operation's workflow (`bulk-<id>`). */
export interface BulkOperationInput {
  bulkOperationId: string;
  /** Licenses per second (BULK_OPERATION_RATE when the operation started). */
  ratePerSecond: number;
  /** Carried across continue-as-new: the last position handed out, and a cancellation already seen. */
  afterPosition?: number;
  cancelled?: boolean;
}

/** Stop: licenses already changed stay changed, the rest are reported CANCELLED. */
export const cancelBulkOperationSignal = defineSignal('cancel');
/** How far the run is: the last position handed out, and whether it was cancelled. */
export const bulkProgressQuery = defineQuery<{ afterPosition: number; cancelled: boolean }>('progress');

export const bulkWorkflowId = (bulkOperationId: string) => `bulk-${bulkOperationId}`;
