import { z } from 'zod';
import { bulkOperationRequestSchema, bulkOperationSchema, bulkSelectionSchema } from '../../../domain/bulk/bulk-operation-input.ts';
import { BULK_OPERATION_STATUSES } from '../../../schema/bulk/bulk-operation.entity.ts';
import { BULK_ITEM_STATUSES } from '../../../schema/bulk/bulk-operation-item.entity.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { page, timestamp, uuid } from './common.ts';

// The operation and a filter selection read the same in a request and in the operation it made.
for (const [id, schema, description] of [
  ['BulkOperationSpec', bulkOperationSchema, 'What a bulk operation changes on each license (`type`), with its value.'],
  ['BulkSelection', bulkSelectionSchema, 'Which licenses: by `filter` (every field given must match), or the license ids and customer e-mails of a `csv` file.'],
] as const) {
  requestSchema(id, schema, description);
  responseSchema(id, schema, description);
}

export const BulkOperationRequest = requestSchema(
  'BulkOperationRequest',
  bulkOperationRequestSchema,
  'A bulk operation: the licenses, the change, and why. With `dry_run`, only its preview.',
);

const fields = z.record(z.string(), z.unknown()).describe('The fields the change touches (`expires_at`, `trial_ends_at`, `plan`, `seat_limit`, `features`, `status`).');
const previewRow = z.object({
  license_id: uuid,
  key_hint: z.string(),
  customer_email: z.string().nullable(),
  before: fields,
  after: fields.optional().describe('Present for a license that would change.'),
  code: z.string().optional().describe('Why the license would be skipped: SAME_PLAN, OTHER_PRODUCT, PERPETUAL, NOT_LATER, UNCHANGED, ALREADY_SUSPENDED, NOT_SUSPENDED, LICENSE_EXPIRED, LICENSE_ALREADY_REVOKED, INVALID_DATE.'),
  detail: z.string().optional(),
});
const unmatched = z.object({ entry: z.string(), code: z.string().describe('LICENSE_NOT_FOUND, CUSTOMER_NOT_FOUND, INVALID_ENTRY.'), detail: z.string() });

export const BulkOperationPreview = responseSchema(
  'BulkOperationPreview',
  z.object({
    dry_run: z.literal(true),
    affected: z.number().int().min(0).describe('Licenses that would change.'),
    skipped: z.number().int().min(0).describe('Licenses chosen that would not change, each with its reason.'),
    changes: z.array(previewRow).describe('Before and after for each license that would change (the first 500).'),
    skipped_licenses: z.array(previewRow).describe('The skipped licenses and why (the first 500).'),
    unmatched: z.array(unmatched).describe('CSV entries that matched no license (the first 500).'),
    truncated: z.boolean().describe('True when a list holds only its first 500 rows; the counts are always whole.'),
  }),
  'What a bulk operation would do: nothing was changed.',
);

const counts = z.object(Object.fromEntries(BULK_ITEM_STATUSES.map((status) => [status.toLowerCase(), z.number().int().min(0)])) as Record<string, z.ZodNumber>);

export const BulkOperationResource = responseSchema(
  'BulkOperation',
  z.object({
    id: uuid,
    status: z.enum(BULK_OPERATION_STATUSES).describe('RUNNING, CANCELLING (asked to stop), COMPLETED or CANCELLED.'),
    operation: bulkOperationSchema,
    selection: z.record(z.string(), z.unknown()).describe('The filter as given, or for a CSV `{ type: "csv", unmatched }` (the file is not kept).'),
    reason: z.string(),
    actor: z.string().describe('Who started it, as each license\'s audit row names them.'),
    rate_per_second: z.number().int().min(1),
    total: z.number().int().min(0).describe('Licenses chosen (skipped ones included).'),
    counts: counts.describe('Items by result: pending, applied, skipped, failed, cancelled.'),
    progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0), percent: z.number().int().min(0).max(100) }),
    workflow_id: z.string().describe('`bulk-<id>` in Temporal.'),
    created_at: timestamp,
    cancel_requested_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
  }),
  'A bulk operation and its progress.',
);

export const BulkItem = responseSchema(
  'BulkItem',
  z.object({
    license_id: uuid,
    position: z.number().int().min(0),
    key_hint: z.string(),
    customer_email: z.string().nullable(),
    status: z.enum(BULK_ITEM_STATUSES).describe('PENDING, APPLIED, SKIPPED, FAILED or CANCELLED.'),
    before: fields,
    after: fields.nullable(),
    code: z.string().nullable().describe('Why it was skipped, failed or cancelled.'),
    detail: z.string().nullable(),
    finished_at: timestamp.nullable(),
  }),
  'One license of a bulk operation and its result.',
);

export const BulkOperationWithResults = responseSchema(
  'BulkOperationWithResults',
  BulkOperationResource.extend({
    results: z.object({ data: z.array(BulkItem), has_more: z.boolean(), next_cursor: z.string().nullable() }).describe('One page of results in the order they are applied.'),
  }),
  'A bulk operation, its progress, and one page of its results.',
);

export const BulkOperationList = page('BulkOperationList', BulkOperationResource);
