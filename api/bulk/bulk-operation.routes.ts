import { Readable } from 'node:stream';
import Router from '@koa/router';
import { z } from 'zod';
import { BULK_OPERATION_SCOPES, bulkOperationRequestSchema, MAX_BULK_CSV_LENGTH } from '../../domain/bulk/bulk-operation-input.ts';
import { bulkResultsCsv } from '../../domain/bulk/bulk-results-csv.ts';
import { cancelBulkOperation } from '../../domain/bulk/cancel-bulk-operation.ts';
import { getBulkOperation, listBulkOperations } from '../../domain/bulk/get-bulk-operation.ts';
import { previewBulkOperation } from '../../domain/bulk/preview-bulk-operation.ts';
import { startBulkOperation } from '../../domain/bulk/start-bulk-operation.ts';
import { grants } from '../../lib/roles.ts';
import { text } from '../../lib/text.ts';
import { BULK_ITEM_STATUSES } from '../../schema/bulk/bulk-operation-item.entity.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith, readJson } from '../http/body.ts';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam } from '../http/resources.ts';
import { bulkItemResource, bulkOperationResource, bulkPreviewResource } from './bulk-operation.resource.ts';

/** BULK_OPERATION_RATE's default: licenses per second a bulk operation applies. */
export const DEFAULT_BULK_RATE_PER_SECOND = 20;
/** A CSV of 50,000 e-mails, in JSON, with room to spare. */
const BULK_BODY_LIMIT = MAX_BULK_CSV_LENGTH * 2;

export const bulkItemsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: text().max(20).regex(/^[0-9]+$/, 'a cursor this API returned').optional().describe('`next_cursor` of the previous page.'),
    status: z.enum(BULK_ITEM_STATUSES).optional().describe('Only items with this result.'),
  })
  .strict();

/** Bulk operations: preview (dry run), run, follow, cancel, and the report as CSV. */
export function bulkOperationRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/bulk-operations' });
  const engine = { em: deps.em, bulkOperations: deps.lifecycle };

  router.post('/', async (ctx) => {
    const input = parseWith(bulkOperationRequestSchema, await readJson(ctx, BULK_BODY_LIMIT));
    const principal = principalOf(ctx);
    // The route needs licenses:bulk; each operation also needs the scope of its one-license route.
    const needed = BULK_OPERATION_SCOPES[input.operation.type];
    if (!grants(principal.scopes, needed)) throw new Problem('FORBIDDEN', `${input.operation.type} also needs the ${needed} scope`);
    if (input.dry_run) {
      ctx.body = bulkPreviewResource(await previewBulkOperation(deps.em, input.selection, input.operation));
      return;
    }
    const id = await startBulkOperation(
      { ...engine, ratePerSecond: deps.bulkRatePerSecond ?? DEFAULT_BULK_RATE_PER_SECOND },
      { selection: input.selection, operation: input.operation, reason: input.reason, actor: principal.auditActor, licenseActor: principal.actor, origin: principal.origin },
    );
    const { operation, counts } = await getBulkOperation(deps.em, id, { limit: 0 });
    ctx.status = 201;
    ctx.set('Location', `/v1/bulk-operations/${id}`);
    ctx.body = bulkOperationResource(operation, counts);
  });

  router.get('/', async (ctx) => {
    const query = parseWith(pageQuerySchema.strict(), ctx.query);
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const { operations, hasMore } = await listBulkOperations(deps.em, query.limit, before && { createdAt: new Date(before.createdAt), id: before.id });
    const last = operations[operations.length - 1];
    ctx.body = {
      data: operations.map((operation) => bulkOperationResource(operation, operation.counts)),
      has_more: hasMore,
      next_cursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  });

  router.get('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const query = parseWith(bulkItemsQuery, ctx.query);
    const { operation, counts, items, hasMore } = await getBulkOperation(deps.em, id, { limit: query.limit, afterPosition: query.cursor ? Number(query.cursor) : undefined, status: query.status });
    const last = items[items.length - 1];
    ctx.body = { ...bulkOperationResource(operation, counts), results: { data: items.map(bulkItemResource), has_more: hasMore, next_cursor: hasMore && last ? String(last.position) : null } };
  });

  router.post('/:id/cancel', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const principal = principalOf(ctx);
    await cancelBulkOperation(engine, id, { actor: principal.auditActor, origin: principal.origin });
    const { operation, counts } = await getBulkOperation(deps.em, id, { limit: 0 });
    ctx.status = 202;
    ctx.body = bulkOperationResource(operation, counts);
  });

  router.get('/:id/results.csv', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const rows = bulkResultsCsv(deps.em, id);
    // The first chunk (the header) is read here, so an unknown id is still answered as a problem.
    const first = await rows.next();
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="bulk-operation-${id}.csv"`);
    ctx.body = Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* rows;
    })());
  });

  return router;
}
