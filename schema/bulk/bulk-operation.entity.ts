import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Where a bulk operation is: planned and running, cancelling, or done (every item settled). */
export const BULK_OPERATION_STATUSES = ['RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED'] as const;
export type BulkOperationStatus = (typeof BULK_OPERATION_STATUSES)[number];

/**
 * One change applied to many licenses (`bulk-<id>` in Temporal): what it does (`operation`),
 * which licenses it chose (`selection`, as given), who asked and why. The licenses and what
 * happened to each are its items (bulk-operation-item.entity.ts); the counts are read from them.
 */
export const BulkOperation = defineEntity({
  name: 'BulkOperation',
  tableName: 'bulk_operation',
  indexes: [{ name: 'bulk_operation_created_index', properties: ['createdAt', 'id'] }],
  properties: {
    id: p.uuid().primary(),
    status: p.enum(BULK_OPERATION_STATUSES).nativeEnumName('bulk_operation_status'),
    /** The operation as the API took it (`{ type: 'extend_expiry', days: 30 }`). */
    operation: p.json<Record<string, unknown>>(),
    /** The selection as the API took it: a filter, or the entries of an uploaded CSV. */
    selection: p.json<Record<string, unknown>>(),
    reason: p.text(),
    /** `staff:<email>`, `admin:<token name>`: the actor every license change records. */
    actor: p.string().length(200),
    /** Licenses per second the workflow applies (BULK_OPERATION_RATE when it started). */
    ratePerSecond: p.integer(),
    total: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    cancelRequestedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});

export type BulkOperationEntity = InferEntity<typeof BulkOperation>;
