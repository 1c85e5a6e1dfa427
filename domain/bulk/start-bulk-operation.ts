import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor, RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { BulkOperationEngine } from './bulk-operation-engine.ts';
import type { BulkOperationSpec, BulkSelection } from './bulk-operation-input.ts';
import { planBulkOperation } from './plan-bulk-operation.ts';

export interface StartBulkOperationDeps {
  em: EntityManager;
  bulkOperations: BulkOperationEngine;
  /** Licenses per second the workflow applies (BULK_OPERATION_RATE). */
  ratePerSecond: number;
}

export interface StartBulkOperationInput {
  selection: BulkSelection;
  operation: BulkOperationSpec;
  reason: string | undefined;
  /** Who asked: the audit trail's actor, the license trail's actor string, the request's origin. */
  actor: AuditActor;
  licenseActor: string;
  origin: RequestOrigin;
}

/** Rows are inserted this many at a time (one JSON parameter each). */
const INSERT_CHUNK = 2_000;

/** The selection as the operation keeps it: a filter as given, a CSV as its count and what matched nothing (not the file). */
function selectionRecord(selection: BulkSelection, unmatched: { entry: string }[]): Record<string, unknown> {
  if (selection.type === 'filter') return selection;
  return { type: 'csv', unmatched: unmatched.slice(0, 1000) };
}

/**
 * Plans the operation, records it with one item per chosen license (skipped ones already
 * settled with their reason), audits it, and starts its workflow (`bulk-<id>`), all in one
 * transaction: a Temporal that does not answer leaves nothing behind. Returns the id.
 */
export async function startBulkOperation(deps: StartBulkOperationDeps, input: StartBulkOperationInput): Promise<string> {
  if (!input.reason?.trim()) throw new DomainError('REASON_REQUIRED', 'a reason is required to run a bulk operation: it is recorded on every license it changes');
  const { planned, unmatched } = await planBulkOperation(deps.em, input.selection, input.operation);
  const affected = planned.filter(({ change }) => change.kind === 'change').length;
  if (affected === 0) throw new DomainError('BULK_NOTHING_TO_CHANGE', `none of the ${planned.length} licenses chosen would change: preview the operation (dry_run) to see why`);
  const id = randomUUID();
  await deps.em.fork().transactional(async (tx) => {
    await tx.execute(
      `insert into bulk_operation (id, status, operation, selection, reason, actor, rate_per_second, total, created_at)
       values (?, 'RUNNING', ?, ?, ?, ?, ?, ?, clock_timestamp())`,
      [id, JSON.stringify(input.operation), JSON.stringify(selectionRecord(input.selection, unmatched)), input.reason, input.licenseActor, deps.ratePerSecond, planned.length],
    );
    for (let start = 0; start < planned.length; start += INSERT_CHUNK) {
      const rows = planned.slice(start, start + INSERT_CHUNK).map(({ license, change }, index) => ({
        license_id: license.id,
        position: start + index,
        status: change.kind === 'change' ? 'PENDING' : 'SKIPPED',
        before: change.before,
        after: change.kind === 'change' ? change.after : null,
        code: change.kind === 'skip' ? change.code : null,
        detail: change.kind === 'skip' ? change.detail : null,
      }));
      await tx.execute(
        `insert into bulk_operation_item (bulk_operation_id, license_id, position, status, before, after, code, detail, finished_at)
         select ?, t.license_id, t.position, t.status::bulk_item_status, t.before, t.after, t.code, t.detail,
                case when t.status = 'SKIPPED' then clock_timestamp() end
           from jsonb_to_recordset(?::jsonb) as t(license_id uuid, position int, status text, before jsonb, after jsonb, code text, detail text)`,
        [id, JSON.stringify(rows)],
      );
    }
    await recordAuditEvent(tx, {
      actor: input.actor,
      action: 'bulk_operation.started',
      target: { type: 'bulk_operation', id },
      reason: input.reason,
      after: { operation: input.operation, selection: selectionRecord(input.selection, []), licenses: planned.length, affected, skipped: planned.length - affected, unmatched: unmatched.length },
      origin: input.origin,
    });
    await deps.bulkOperations.startBulkOperation(id, { ratePerSecond: deps.ratePerSecond });
  });
  return id;
}
