import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan, planPolicy, type PlanEntity } from '../../schema/plan/plan.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { Acting } from '../staff/staff-deps.ts';
import type { PlanPolicyRollouts } from './plan-policy-rollout.ts';
import { assertPlanTerm, planColumns, planView, type PlanFields } from './plan-view.ts';
import type { PolicyInput } from './policy.schema.ts';
import { planEditImpact, type PlanEditImpact } from './preview-plan-edit.ts';

export type PlanEdit = PolicyInput & PlanFields;

export interface UpdatePlanDeps {
  em: EntityManager;
  rollouts: PlanPolicyRollouts;
}

/** Work the caller does in the edit's transaction (e.g. the renewal task updates it causes). */
export type InEditTransaction<T> = (tx: EntityManager, plan: PlanEntity, impact: PlanEditImpact) => Promise<T>;

async function lockPlan(tx: EntityManager, id: string, lock: boolean): Promise<PlanEntity> {
  const plan = await tx.findOne(Plan, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!plan) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${id}`);
  return plan;
}

/** What an edit would do (the plan before and after, the licenses it reaches); nothing is written. */
export async function previewPlanEdit(em: EntityManager, id: string, edit: PlanEdit): Promise<{ plan: PlanEntity; impact: PlanEditImpact }> {
  const tx = em.fork();
  const plan = await lockPlan(tx, id, false);
  const before = { view: planView(plan), policy: planPolicy(plan) };
  tx.assign(plan, planColumns(edit));
  assertPlanTerm(plan);
  return { plan, impact: await planEditImpact(tx, plan, before) };
}

/**
 * Edits a plan: its row, its audit event (`plan.updated`, the changed fields before and after,
 * with the reason given) and, when the lifecycle changes (grace, reminders, fixed term end) and
 * licenses run on the plan, the start of the rollout that hands the new policy to their
 * workflows: all in one transaction. The rollout starts before the commit (it waits for it), so
 * a Temporal outage refuses the edit (LIFECYCLE_UNAVAILABLE) and leaves nothing half done.
 */
export async function updatePlan<T>(deps: UpdatePlanDeps, id: string, edit: PlanEdit, acting: Acting, reason: string | null, inTransaction: InEditTransaction<T>) {
  return deps.em.fork().transactional(async (tx) => {
    const plan = await lockPlan(tx, id, true);
    const before = { view: planView(plan), policy: planPolicy(plan) };
    tx.assign(plan, planColumns(edit));
    assertPlanTerm(plan);
    const impact = await planEditImpact(tx, plan, before);
    if (Object.keys(impact.changes.after).length === 0) return { plan, impact, extra: await inTransaction(tx, plan, impact), rolloutStarted: false };
    await tx.flush();
    await recordAuditEvent(tx, { actor: acting.actor, action: 'plan.updated', target: { type: 'plan', id }, reason, ...impact.changes, origin: acting.origin });
    const extra = await inTransaction(tx, plan, impact);
    const rolloutStarted = impact.workflowsToUpdate > 0 || impact.expiriesMoved > 0;
    if (rolloutStarted) await deps.rollouts.startPlanPolicyRollout({ planId: id, version: plan.updatedAt.toISOString(), actor: acting.label, termEndMoved: impact.termEndMoved });
    return { plan, impact, extra, rolloutStarted };
  });
}
