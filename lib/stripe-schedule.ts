import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Logger } from './logger.ts';

export const STRIPE_RECONCILIATION_SCHEDULE_ID = 'stripe-reconciliation';

/**
 * The nightly Stripe reconciliation as a Temporal Schedule: created at start-up, or updated to
 * the configured cron and task queue if it exists (idempotent, safe from every replica).
 */
export async function ensureStripeReconciliationSchedule(client: Client, options: { taskQueue: string; cron: string; logger?: Logger }): Promise<'created' | 'updated'> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'stripeReconciliationWorkflow',
    workflowId: 'stripe-reconciliation',
    taskQueue: options.taskQueue,
    args: [] as [],
  };
  const spec = { cronExpressions: [options.cron] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  try {
    await client.schedule.create({ scheduleId: STRIPE_RECONCILIATION_SCHEDULE_ID, spec, action, policies, memo: { purpose: 'Repair licenses that drifted from their Stripe subscriptions' } });
    options.logger?.info({ cron: options.cron }, 'created the Stripe reconciliation schedule');
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(STRIPE_RECONCILIATION_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  return 'updated';
}
