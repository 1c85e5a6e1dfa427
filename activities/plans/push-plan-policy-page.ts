import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import { planPolicyPage, type PlanPolicyRolloutInput } from '../../domain/plans/plan-policy-rollout.ts';
import type { LifecycleClient } from '../../temporal/lifecycle-client.ts';

export interface PushPlanPolicyResult {
  /** False when the edit never committed or the plan is gone: the rollout ends. */
  current: boolean;
  signalled: number;
  /** Licenses whose workflow was not running (the reconciler restarts it from the row, with the plan's policy). */
  notRunning: number;
  nextAfterId: string | null;
}

const CONCURRENCY = 8;

/**
 * One page of a plan edit's rollout: signals each running license workflow on the plan with
 * its new lifecycle policy. Signals are idempotent (the workflow applies a policy version once),
 * so a retried page does no harm; a failure fails the page, and the activity's retry sends again.
 */
export function pushPlanPolicyPage(deps: { em: EntityManager; lifecycle: LifecycleClient; logger: Logger }) {
  return async (input: PlanPolicyRolloutInput & { afterId: string | null; limit: number }): Promise<PushPlanPolicyResult> => {
    const page = await planPolicyPage(deps.em, input);
    let signalled = 0;
    let notRunning = 0;
    let next = 0;
    const work = async () => {
      while (next < page.targets.length) {
        const target = page.targets[next++]!;
        if (await deps.lifecycle.signalPlanPolicy(target.licenseId, target.update)) signalled += 1;
        else notRunning += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, page.targets.length) }, work));
    if (notRunning) deps.logger.warn({ planId: input.planId, notRunning }, 'a plan edit found licenses without a running workflow; the reconciler restarts them');
    return { current: page.current, signalled, notRunning, nextAfterId: page.current ? page.nextAfterId : null };
  };
}
