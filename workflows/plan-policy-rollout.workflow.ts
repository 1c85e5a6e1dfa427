import { continueAsNew, proxyActivities, setCurrentDetails, sleep, workflowInfo } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { PlanPolicyRolloutInput } from '../domain/plans/plan-policy-rollout.ts';

export interface PlanPolicyRolloutState extends PlanPolicyRolloutInput {
  pageSize?: number;
  /** Pause between pages, so a plan with many licenses never floods the workers (default 1 s). */
  pauseMs?: number;
  /** Carried across continue-as-new. */
  afterId?: string | null;
  totals?: PlanPolicyRolloutTotals;
}

export interface PlanPolicyRolloutTotals {
  signalled: number;
  notRunning: number;
}

const PAGES_PER_RUN = 50;

const { pushPlanPolicyPage } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/**
 * Started with a plan edit that changes the lifecycle (grace, reminders, term): hands the plan's
 * new policy to every running license workflow on the plan, a page at a time with a pause
 * between pages, continuing as new to keep its history small. Its result is the totals.
 */
export async function planPolicyRolloutWorkflow(input: PlanPolicyRolloutState): Promise<PlanPolicyRolloutTotals> {
  const { pageSize = 200, pauseMs = 1_000, afterId: startAfter = null, totals: carried, ...rollout } = input;
  const totals = carried ?? { signalled: 0, notRunning: 0 };
  let afterId = startAfter;
  for (let page = 0; ; page++) {
    if (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof planPolicyRolloutWorkflow>({ ...rollout, pageSize, pauseMs, afterId, totals });
    }
    const result = await pushPlanPolicyPage.executeWithOptions(
      { startToCloseTimeout: '5 minutes', summary: afterId ? `Licenses after ${afterId}` : 'The first licenses' },
      [{ ...rollout, afterId, limit: pageSize }],
    );
    totals.signalled += result.signalled;
    totals.notRunning += result.notRunning;
    setCurrentDetails(`Sent the new policy to ${totals.signalled} license workflows${totals.notRunning ? `; ${totals.notRunning} not running` : ''}`);
    if (!result.nextAfterId) return totals;
    afterId = result.nextAfterId;
    await sleep(pauseMs);
  }
}
