import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../../schema/entities.ts';
import { DomainError } from '../domain-error.ts';
import type { BulkOperationSpec, BulkSelection } from './bulk-operation-input.ts';
import { planBulkChange, type PlannedChange } from './plan-bulk-change.ts';
import { selectBulkLicenses, type SelectedLicense, type Selection } from './select-bulk-licenses.ts';

export interface PlannedLicense {
  license: SelectedLicense;
  change: PlannedChange;
}

export interface BulkPlan {
  planned: PlannedLicense[];
  unmatched: Selection['unmatched'];
}

/** Chooses the licenses and decides, for each, the change or why it is skipped (the preview and the run share it). */
export async function planBulkOperation(em: EntityManager, selection: BulkSelection, operation: BulkOperationSpec, now = new Date()): Promise<BulkPlan> {
  let targetPlan: { id: string; code: string; productId: string } | undefined;
  if (operation.type === 'change_plan') {
    const plan = await em.fork().findOne(Plan, { id: operation.plan_id });
    if (!plan) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${operation.plan_id}`);
    targetPlan = { id: plan.id, code: plan.code, productId: typeof plan.product === 'object' ? plan.product.id : (plan.product as string) };
  }
  const { licenses, unmatched } = await selectBulkLicenses(em, selection);
  return { planned: licenses.map((license) => ({ license, change: planBulkChange(license, operation, { now, targetPlan }) })), unmatched };
}
