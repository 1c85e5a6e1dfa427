import type { EntityManager } from '@mikro-orm/postgresql';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { Plan, planPolicy } from '../../schema/plan/plan.entity.ts';
import type { PlanPolicyUpdate } from '../../workflows/license-state.ts';
import { lifecyclePolicy } from './lifecycle-policy.ts';

/** One plan edit's rollout to the running licenses on the plan (workflow `plan-policy-<plan>-<version>`). */
export interface PlanPolicyRolloutInput {
  planId: string;
  /** The edit's `updated_at` (ISO): the rollout of an edit that never committed does nothing. */
  version: string;
  /** Who edited the plan (the license trail's spelling), for the expiry moves it causes. */
  actor: string;
  /** Set when the plan's fixed term end moved: licenses that ended on `from` end on `to`. */
  termEndMoved?: { from: string; to: string } | null;
}

export const planPolicyRolloutWorkflowId = (planId: string, version: string) => `plan-policy-${planId}-${version}`;

/** Starts a plan edit's rollout (the Temporal client module implements it). */
export interface PlanPolicyRollouts {
  startPlanPolicyRollout(input: PlanPolicyRolloutInput): Promise<void>;
}

export interface PlanPolicyPage {
  /** False when the edit never committed (rolled back) or the plan is gone: nothing to push. */
  current: boolean;
  targets: Array<{ licenseId: string; update: PlanPolicyUpdate }>;
  nextAfterId: string | null;
}

/**
 * The next page of licenses a plan edit reaches (every license on the plan not revoked: each
 * has a running workflow), each with the lifecycle policy it now has (the plan's, under the
 * license's own overrides). The plan is read as it is now, under a share lock, which waits for
 * the edit's transaction to end: a rollout started inside it never reads the plan before the
 * edit is committed, and a later edit's policy is pushed with its own, later version.
 */
export async function planPolicyPage(em: EntityManager, input: PlanPolicyRolloutInput & { afterId: string | null; limit: number }): Promise<PlanPolicyPage> {
  return em.fork().transactional(async (tx) => {
    const [locked] = await tx.execute<{ updated_at: Date }[]>('select updated_at from plan where id = ? for share', [input.planId]);
    if (!locked || new Date(locked.updated_at).toISOString() < input.version) return { current: false, targets: [], nextAfterId: null };
    const plan = await tx.findOneOrFail(Plan, { id: input.planId });
    const version = plan.updatedAt.toISOString();
    const rows = await tx.execute<Array<{ id: string; status: string; overrides: PolicyOverrides; expires_at: Date | null }>>(
      `select id, status, overrides, expires_at from license
        where plan_id = ? and status <> 'REVOKED' and (?::uuid is null or id > ?::uuid)
        order by id limit ?`,
      [input.planId, input.afterId, input.afterId, input.limit],
    );
    const moved = input.termEndMoved && plan.termKind === 'FIXED_END' && plan.termEndsAt?.toISOString() === input.termEndMoved.to ? input.termEndMoved : null;
    const targets = rows.map((row) => {
      const overrides = row.overrides ?? {};
      const endsOnOldTerm = moved && row.expires_at && new Date(row.expires_at).toISOString() === moved.from && overrides.termKind === undefined && overrides.termEndsAt === undefined;
      const update: PlanPolicyUpdate = {
        planId: plan.id,
        version,
        policy: lifecyclePolicy(effectivePolicy(planPolicy(plan), overrides)),
        actor: input.actor,
        reason: `plan ${plan.code} edited`,
        ...(endsOnOldTerm ? { expiresAt: moved.to, reason: `plan ${plan.code}: its term end moved from ${moved.from.slice(0, 10)} to ${moved.to.slice(0, 10)}` } : {}),
      };
      return { licenseId: row.id, update };
    });
    return { current: true, targets, nextAfterId: rows.length === input.limit ? rows[rows.length - 1]!.id : null };
  });
}
