import { continueAsNew, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { DriftKind } from '../domain/licenses/diagnose-license-drift.ts';
import type { LicenseRepair } from '../activities/reconciliation/reconcile-license-page.ts';

export interface ReconcileLicensesInput {
  pageSize?: number;
  /** Carried across continue-as-new within one pass. */
  afterId?: string | null;
  totals?: ReconcileTotals;
}

export interface ReconcileTotals {
  checked: number;
  counts: Partial<Record<DriftKind, number>>;
  repaired: number;
  failed: number;
  /** The first repairs of the pass, for the Web UI (all of them are in the audit trail). */
  sampleRepairs: LicenseRepair[];
}

const SAMPLE_SIZE = 50;
const PAGES_PER_RUN = 100;

const { reconcileLicensePage } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/**
 * Drift repair, run by the `license-reconciliation` Temporal Schedule: walks every license in
 * pages and repairs any whose row and workflow disagree (a row without a running workflow, a
 * state mismatch). The result lists the totals and the first repairs.
 */
export async function reconcileLicensesWorkflow(input: ReconcileLicensesInput = {}): Promise<ReconcileTotals> {
  const pageSize = input.pageSize ?? 200;
  const totals: ReconcileTotals = input.totals ?? { checked: 0, counts: {}, repaired: 0, failed: 0, sampleRepairs: [] };
  let afterId = input.afterId ?? null;
  for (let page = 0; ; page++) {
    if (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reconcileLicensesWorkflow>({ pageSize, afterId, totals });
    }
    const result = await reconcileLicensePage.executeWithOptions(
      { startToCloseTimeout: '5 minutes', summary: afterId ? `Check licenses after ${afterId}` : 'Check the first licenses' },
      [{ afterId, limit: pageSize }],
    );
    totals.checked += result.checked;
    totals.repaired += result.repairs.length;
    totals.failed += result.failures.length;
    for (const [kind, count] of Object.entries(result.counts) as [DriftKind, number][]) totals.counts[kind] = (totals.counts[kind] ?? 0) + count;
    totals.sampleRepairs.push(...result.repairs.slice(0, SAMPLE_SIZE - totals.sampleRepairs.length));
    setCurrentDetails(`Checked ${totals.checked} licenses; repaired ${totals.repaired}; ${totals.failed} could not be repaired`);
    if (!result.nextAfterId) return totals;
    afterId = result.nextAfterId;
  }
}
