import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';
import { BulkOperation } from './bulk-operation.entity.ts';

/**
 * PENDING: to apply; APPLIED: the license's workflow made the change; SKIPPED: not applicable
 * (known when planned, or refused by the workflow); FAILED: could not be applied; CANCELLED: the
 * operation was cancelled before its turn.
 */
export const BULK_ITEM_STATUSES = ['PENDING', 'APPLIED', 'SKIPPED', 'FAILED', 'CANCELLED'] as const;
export type BulkItemStatus = (typeof BULK_ITEM_STATUSES)[number];

/**
 * One license of a bulk operation and its result: one row per (operation, license), so a retried
 * activity finds the result already recorded and applies nothing twice. `before` and `after` are
 * the fields the change touches, fixed when the operation was planned (an extension by 30 days
 * is a date by then, so re-sending it cannot extend twice).
 */
export const BulkOperationItem = defineEntity({
  name: 'BulkOperationItem',
  tableName: 'bulk_operation_item',
  indexes: [{ name: 'bulk_operation_item_status_index', properties: ['bulkOperation', 'status', 'position'] }],
  properties: {
    bulkOperation: () => p.manyToOne(BulkOperation).primary().deleteRule('cascade'),
    license: () => p.manyToOne(License).primary().deleteRule('cascade').index('bulk_operation_item_license_index'),
    /** The order items are applied and listed in. */
    position: p.integer(),
    status: p.enum(BULK_ITEM_STATUSES).nativeEnumName('bulk_item_status'),
    before: p.json<Record<string, unknown>>(),
    after: p.json<Record<string, unknown>>().nullable(),
    /** Why it was skipped or failed: a stable code and a sentence. */
    code: p.string().length(100).nullable(),
    detail: p.text().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});

export type BulkOperationItemEntity = InferEntity<typeof BulkOperationItem>;
