/**
 * What a bulk operation asks of the lifecycle engine: its workflow (`bulk-<id>`), started once
 * the operation and its items are recorded, and told to stop. temporal/lifecycle-client.ts
 * implements it; a Temporal that does not answer throws LifecycleUnavailable.
 */
export interface BulkOperationEngine {
  startBulkOperation(bulkOperationId: string, options: { ratePerSecond: number }): Promise<void>;
  cancelBulkOperation(bulkOperationId: string): Promise<void>;
}
