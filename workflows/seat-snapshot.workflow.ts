import { proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';

const { snapshotSeats } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

/** Run daily by the `seat-snapshot` schedule: records every license's seats in use for the seat usage trend. */
export async function seatSnapshotWorkflow(): Promise<{ day: string; licenses: number }> {
  return snapshotSeats();
}
