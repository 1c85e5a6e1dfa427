import type { Client } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { ensureSchedule } from '../temporal/schedules.ts';

export const LICENSE_RECONCILIATION_SCHEDULE_ID = 'license-reconciliation';
export const STRIPE_RECONCILIATION_SCHEDULE_ID = 'stripe-reconciliation';
export const USAGE_MAINTENANCE_SCHEDULE_ID = 'usage-maintenance';
export const ABUSE_CHECKS_SCHEDULE_ID = 'abuse-checks';
export const SEAT_SNAPSHOT_SCHEDULE_ID = 'seat-snapshot';
/** Five past midnight UTC: the day just begun gets its seat snapshot. */
export const SEAT_SNAPSHOT_CRON = '5 0 * * *';

export interface LicenseScheduleSettings {
  /** How often drift between rows and workflows is repaired, e.g. `1h`; null switches it off. */
  reconcileEvery: string | null;
  /** When the Stripe reconciliation runs (cron, UTC); null when Stripe is not configured. */
  stripeReconcileCron: string | null;
  /** How far back it looks for missed checkouts, refunds and disputes (days; the workflow's default otherwise). */
  stripeReconcileLookbackDays?: number;
  /** How often usage partitions and roll-ups are maintained (USAGE_MAINTENANCE_EVERY). */
  usageMaintenanceEvery?: string;
  /** How often the abuse checks run (ABUSE_CHECK_EVERY); null switches them off. */
  abuseCheckEvery?: string | null;
  /** The daily seat snapshot (the seat usage trend): on, off (deleted), or undefined to leave it as it is. */
  seatSnapshots?: boolean;
}

// A pass still running when the next is due: skip the next, never run two at once.
const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };

/**
 * The schedules the worker owns, created or updated in place at every start (safe from every
 * replica); a switched-off one is deleted. Returns what happened to each.
 */
export async function ensureLicenseSchedules(client: Client, taskQueue: string, settings: LicenseScheduleSettings) {
  const drift = await ensureSchedule(
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
          policies,
        }
      : null,
  );
  const stripe = await ensureSchedule(
    client,
    STRIPE_RECONCILIATION_SCHEDULE_ID,
    settings.stripeReconcileCron
      ? {
          spec: { cronExpressions: [settings.stripeReconcileCron] },
          action: {
            type: 'startWorkflow',
            workflowType: 'stripeReconciliationWorkflow',
            workflowId: STRIPE_RECONCILIATION_SCHEDULE_ID,
            taskQueue,
            args: [settings.stripeReconcileLookbackDays ? { lookbackDays: settings.stripeReconcileLookbackDays } : {}],
            staticSummary: 'Stripe reconciliation',
            staticDetails: 'Issues licenses for checkouts whose webhook never arrived, repairs licenses that drifted from their subscriptions, and revokes one-time licenses refunded or disputed (missed webhooks).',
          },
          policies,
          memo: { purpose: 'Repair licenses that drifted from their Stripe subscriptions' },
        }
      : null,
  );
  const usage = await ensureSchedule(client, USAGE_MAINTENANCE_SCHEDULE_ID, {
    spec: { intervals: [{ every: settings.usageMaintenanceEvery ?? '1h' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'usageMaintenanceWorkflow',
      workflowId: USAGE_MAINTENANCE_SCHEDULE_ID,
      taskQueue,
      args: [],
      staticSummary: 'Usage partitions and roll-ups',
      staticDetails: 'Creates usage_event day partitions ahead, drops those past USAGE_RAW_RETENTION_DAYS, and refreshes the daily roll-ups.',
    },
    policies,
  });
  const abuse = await ensureSchedule(
    client,
    ABUSE_CHECKS_SCHEDULE_ID,
    settings.abuseCheckEvery
      ? {
          spec: { intervals: [{ every: settings.abuseCheckEvery }] },
          action: {
            type: 'startWorkflow',
            workflowType: 'abuseChecksWorkflow',
            workflowId: ABUSE_CHECKS_SCHEDULE_ID,
            taskQueue,
            args: [],
            staticSummary: 'Abuse checks',
            staticDetails: 'Velocity, geographic spread, referrer mismatch, trial cycling and key sharing over the usage events; raises abuse alerts and runs each plan\'s action.',
          },
          policies,
        }
      : null,
  );
  const seats = settings.seatSnapshots === undefined ? 'absent' : await ensureSchedule(
    client,
    SEAT_SNAPSHOT_SCHEDULE_ID,
    settings.seatSnapshots
      ? {
          spec: { cronExpressions: [SEAT_SNAPSHOT_CRON] },
          action: {
            type: 'startWorkflow',
            workflowType: 'seatSnapshotWorkflow',
            workflowId: SEAT_SNAPSHOT_SCHEDULE_ID,
            taskQueue,
            args: [],
            staticSummary: 'Daily seat snapshot',
            staticDetails: 'Records every license\'s seats in use and seat limit for the day (license_seat_day): the seat usage trend report.',
          },
          policies,
        }
      : null,
  );
  return {
    [LICENSE_RECONCILIATION_SCHEDULE_ID]: drift,
    [STRIPE_RECONCILIATION_SCHEDULE_ID]: stripe,
    [USAGE_MAINTENANCE_SCHEDULE_ID]: usage,
    [ABUSE_CHECKS_SCHEDULE_ID]: abuse,
    [SEAT_SNAPSHOT_SCHEDULE_ID]: seats,
  };
}
