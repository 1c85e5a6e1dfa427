import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../../schema/entities.ts';
import type { BulkItemStatus } from '../../schema/bulk/bulk-operation-item.entity.ts';
import { effectivePolicy, type Features, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import type { AdminCommand } from '../../workflows/license-state.ts';
import { DomainError } from '../domain-error.ts';
import type { AdminUpdate, LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../plans/lifecycle-policy.ts';
import type { BulkOperationSpec } from './bulk-operation-input.ts';
import type { ChangeFields } from './plan-bulk-change.ts';
import { settleBulkItem } from './settle-bulk-item.ts';

export interface ApplyBulkItemDeps {
  em: EntityManager;
  lifecycle: Pick<LicenseLifecycle, 'update'>;
}

interface ItemRow {
  status: BulkItemStatus;
  after: ChangeFields | null;
  operation: BulkOperationSpec;
  reason: string;
  actor: string;
  license_status: string;
  overrides: PolicyOverrides;
}

/** The update id of one license's part of an operation: Temporal answers a second send of it with the first's outcome. */
export const bulkUpdateId = (bulkOperationId: string, licenseId: string) => `bulk-${bulkOperationId}-${licenseId}`;

/** The workflow update that makes the planned change (its target values fixed when planned). */
async function updateFor(em: EntityManager, row: ItemRow, command: AdminCommand): Promise<AdminUpdate> {
  const after = row.after ?? {};
  switch (row.operation.type) {
    case 'change_plan': {
      const plan = await em.fork().findOneOrFail(Plan, { id: after.plan_id as string });
      const policy = lifecyclePolicy(effectivePolicy(planPolicy(plan), row.overrides));
      return { name: 'changePlan', args: { ...command, planId: plan.id, planCode: plan.code, policy, effective: 'now' } };
    }
    case 'extend_expiry':
    case 'extend_expiry_to':
      return 'trial_ends_at' in after ? { name: 'extendTrial', args: { ...command, until: after.trial_ends_at as string } } : { name: 'setExpiry', args: { ...command, at: after.expires_at as string } };
    case 'set_seat_limit':
      return { name: 'setSeatLimit', args: { ...command, seatLimit: after.seat_limit as number } };
    case 'add_feature':
    case 'remove_feature':
      return { name: 'setFeatures', args: { ...command, features: after.features as Features } };
    case 'suspend':
      return { name: 'suspend', args: command };
    case 'reinstate':
      return { name: 'reinstate', args: command };
    case 'revoke':
      return { name: 'revoke', args: command };
  }
}

/** Whether the license's trail already holds a change made by this operation (the update ran; its result was not recorded). */
async function changedByOperation(em: EntityManager, bulkOperationId: string, licenseId: string): Promise<boolean> {
  const rows = await em.fork().execute<{ found: number }[]>(
    `select 1 as found from audit_event where license_id = ? and after ->> 'bulk_operation_id' = ? limit 1`,
    [licenseId, bulkOperationId],
  );
  return rows.length > 0;
}

/**
 * Applies one license's part of a bulk operation, exactly once however often it is called: a
 * settled item is left as it is; otherwise the change goes to the license's workflow as its own
 * admin update, with an update id derived from the operation (a second send, after a worker
 * died between the update and the result row, gets the first outcome), audited with the
 * operation's actor, reason and id. A workflow's refusal settles the item as skipped with the
 * refusal's code, unless the trail shows this operation already changed the license.
 * Faults (Temporal or Postgres unreachable) are thrown: the caller retries.
 */
export async function applyBulkItem(deps: ApplyBulkItemDeps, bulkOperationId: string, licenseId: string): Promise<BulkItemStatus> {
  const [row] = await deps.em.fork().execute<ItemRow[]>(
    `select i.status, i.after, o.operation, o.reason, o.actor, l.status as license_status, l.overrides
       from bulk_operation_item i join bulk_operation o on o.id = i.bulk_operation_id join license l on l.id = i.license_id
      where i.bulk_operation_id = ? and i.license_id = ?`,
    [bulkOperationId, licenseId],
  );
  if (!row) throw new DomainError('INVALID_REQUEST', `license ${licenseId} is not part of bulk operation ${bulkOperationId}`);
  if (row.status !== 'PENDING') return row.status;
  const settle = (status: BulkItemStatus, code: string | null = null, detail: string | null = null) => settleBulkItem(deps.em, { bulkOperationId, licenseId, status, code, detail });
  if (await changedByOperation(deps.em, bulkOperationId, licenseId)) return settle('APPLIED');
  // A revoked license's workflow has ended: no update could reach it.
  if (row.license_status === 'REVOKED') return settle('SKIPPED', 'LICENSE_ALREADY_REVOKED', 'the license was revoked before its turn');
  const command: AdminCommand = { actor: row.actor, reason: row.reason, bulkOperationId };
  try {
    await deps.lifecycle.update(licenseId, await updateFor(deps.em, row, command), { updateId: bulkUpdateId(bulkOperationId, licenseId) });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (await changedByOperation(deps.em, bulkOperationId, licenseId)) return settle('APPLIED');
    return settle('SKIPPED', error.code, error.message);
  }
  return settle('APPLIED');
}
