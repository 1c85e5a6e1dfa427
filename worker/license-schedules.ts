import type { Client } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { ensureSchedule } from '../lib/schedules.ts';

export const LICENSE_RECONCILIATION_SCHEDULE_ID = 'license-reconciliation';

export interface LicenseScheduleSettings {
  /** How often drift is repaired, e.g. `1h`; null switches the schedule off. */
  reconcileEvery: string | null;
}

/** The schedules the license worker owns, created or updated at every start. */
export async function ensureLicenseSchedules(client: Client, taskQueue: string, settings: LicenseScheduleSettings) {
  const reconciliation = await ensureSchedule(
    client,
    LICENSE_RECONCILIATION_SCHEDULE_ID,
    settings.reconcileEvery
      ? {
          spec: { intervals: [{ every: settings.reconcileEvery }] },
          action: {
            type: 'startWorkflow',
            workflowType: 'reconcileLicensesWorkflow',
            workflowId: LICENSE_RECONCILIATION_SCHEDULE_ID,
            taskQueue,
            args: [{}],
            staticSummary: 'License drift repair',
            staticDetails: 'Compares every license row with its workflow and repairs rows without a running workflow and state mismatches.',
          },
          // A pass still running when the next is due: skip the next, never run two at once.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
        }
      : null,
  );
  return { [LICENSE_RECONCILIATION_SCHEDULE_ID]: reconciliation };
}
