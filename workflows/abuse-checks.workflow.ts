import { proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { AbuseCheckResult } from '../domain/abuse/run-abuse-checks.ts';

const { runAbuseChecks } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * Run by the `abuse-checks` Temporal Schedule (ABUSE_CHECK_EVERY): evaluates the sliding
 * windows over the usage events and raises (or merges) abuse alerts, running each plan's
 * action. The result lists the alerts raised, for the Web UI.
 */
export async function abuseChecksWorkflow(): Promise<AbuseCheckResult> {
  return runAbuseChecks({ at: Date.now() });
}
