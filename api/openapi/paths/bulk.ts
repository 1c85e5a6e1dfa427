import { bulkItemsQuery } from '../../bulk/bulk-operation.routes.ts';
import { pageQuerySchema } from '../../http/pagination.ts';
import { locationHeader, operation } from '../operation.ts';
import { BulkOperationList, BulkOperationPreview, BulkOperationRequest, BulkOperationResource, BulkOperationWithResults } from '../schemas/bulk.ts';

const id = { id: 'The bulk operation id.' };

/** Bulk operations (api/bulk/): preview, run, follow, cancel, report. */
export const bulkPaths = {
  '/v1/bulk-operations': {
    post: operation({
      tag: 'bulk',
      operationId: 'createBulkOperation',
      summary: 'Preview or run a bulk operation',
      description:
        'Chooses licenses by filter or by an uploaded CSV of license ids and customer e-mails, and applies one change to each: change plan, extend expiry (by days or to a date), set the seat limit, add or remove a feature, suspend, reinstate or revoke. With `dry_run: true` it only answers the preview (200): how many licenses would change, before and after for each, and those it would skip with the reason. Otherwise (201) it records the operation and starts its workflow (`bulk-<id>`), which sends each license\'s change through that license\'s own workflow at BULK_OPERATION_RATE licenses per second, exactly once, audited with the caller, the reason and the operation\'s id. Needs `licenses:bulk` and the scope of the operation\'s one-license route (e.g. `licenses:revoke` to revoke).',
      scope: 'licenses:bulk',
      body: { schema: BulkOperationRequest, required: true },
      responses: {
        200: { description: 'The preview (`dry_run`): nothing changed.', schema: BulkOperationPreview },
        201: { description: 'The operation, started.', schema: BulkOperationResource, headers: locationHeader },
      },
      problems: ['PLAN_NOT_FOUND', 'REASON_REQUIRED', 'BULK_SELECTION_TOO_LARGE', 'BULK_NOTHING_TO_CHANGE', 'LIFECYCLE_UNAVAILABLE'],
    }),
    get: operation({
      tag: 'bulk',
      operationId: 'listBulkOperations',
      summary: 'Bulk operations, newest first',
      scope: 'licenses:read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'One page.', schema: BulkOperationList } },
    }),
  },
  '/v1/bulk-operations/{id}': {
    get: operation({
      tag: 'bulk',
      operationId: 'getBulkOperation',
      summary: 'A bulk operation: progress and results',
      description: 'Its status, counts by result and progress, and one page of its licenses with each one\'s result (in the order they are applied; `status` filters).',
      scope: 'licenses:read',
      pathParams: id,
      query: bulkItemsQuery,
      responses: { 200: { description: 'The operation and a page of results.', schema: BulkOperationWithResults } },
      problems: ['BULK_OPERATION_NOT_FOUND'],
    }),
  },
  '/v1/bulk-operations/{id}/cancel': {
    post: operation({
      tag: 'bulk',
      operationId: 'cancelBulkOperation',
      summary: 'Cancel a bulk operation',
      description: 'Stops it after the licenses in flight: those already changed stay changed, the others are reported CANCELLED. Asking again is harmless.',
      scope: 'licenses:bulk',
      pathParams: id,
      responses: { 202: { description: 'Cancellation asked for (status CANCELLING until the workflow stops).', schema: BulkOperationResource } },
      problems: ['BULK_OPERATION_NOT_FOUND', 'BULK_OPERATION_FINISHED', 'LIFECYCLE_UNAVAILABLE'],
    }),
  },
  '/v1/bulk-operations/{id}/results.csv': {
    get: operation({
      tag: 'bulk',
      operationId: 'getBulkOperationResults',
      summary: 'A bulk operation\'s report as CSV',
      description: 'One row per license: license_id, key_hint, customer_email, result, code, detail, before, after, finished_at.',
      scope: 'licenses:read',
      pathParams: id,
      responses: { 200: { description: 'The report.', alternatives: { 'text/csv': { schema: { type: 'string', pattern: '^license_id,' } } } } },
      problems: ['BULK_OPERATION_NOT_FOUND'],
    }),
  },
};
