import { proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { UsageMaintenanceResult } from '../activities/usage/maintain-usage.ts';

const { maintainUsage } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * Run by the `usage-maintenance` Temporal Schedule (USAGE_MAINTENANCE_EVERY): keeps usage_event's
 * day partitions (ahead and within USAGE_RAW_RETENTION_DAYS) and refreshes the daily roll-ups.
 * The time it maintains for is the workflow's own clock, so the time-skipping test server can
 * move it by days.
 */
export async function usageMaintenanceWorkflow(): Promise<UsageMaintenanceResult> {
  return maintainUsage({ at: Date.now() });
}
