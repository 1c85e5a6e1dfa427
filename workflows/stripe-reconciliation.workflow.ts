import { proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { ReconcileReport } from '../domain/stripe/reconcile-stripe-subscriptions.ts';

const { reconcileStripeSubscriptions } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 5 },
});

/** Run nightly by the `stripe-reconciliation` schedule: repairs licenses that drifted from Stripe. */
export async function stripeReconciliationWorkflow(): Promise<ReconcileReport> {
  return reconcileStripeSubscriptions();
}
