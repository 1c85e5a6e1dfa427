import { patched, proxyActivities } from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';
import type { MissedCheckoutsReport } from '../domain/stripe/reconcile-missed-checkouts.ts';
import type { ReversalsReport } from '../domain/stripe/reconcile-one-time-reversals.ts';
import type { ReconcileReport } from '../domain/stripe/reconcile-stripe-subscriptions.ts';

const { reconcileStripeSubscriptions, reconcileMissedCheckouts, reconcileOneTimeReversals } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 5 },
});

/** Runs before this change only reconciled subscriptions; their histories replay unchanged. */
export const STRIPE_MISSED_SALES_PATCH = 'stripe-reconcile-missed-sales';

/** Stripe retries a webhook for three days: a week covers that, and a few nights of the worker down. */
export const DEFAULT_STRIPE_RECONCILE_LOOKBACK_DAYS = 7;

export interface StripeReconciliationInput {
  /** How far back to look for checkouts, refunds and disputes whose webhooks never arrived. */
  lookbackDays?: number;
}

export type StripeReconciliationReport = ReconcileReport & Partial<MissedCheckoutsReport & ReversalsReport>;

/**
 * Run nightly by the `stripe-reconciliation` schedule: what webhooks should have done and did
 * not. First the sales: checkouts without a license get one (and their key email); then every
 * subscription's license is brought in line with it; last, one-time purchases refunded in full
 * or disputed are revoked.
 */
export async function stripeReconciliationWorkflow(input: StripeReconciliationInput = {}): Promise<StripeReconciliationReport> {
  if (!patched(STRIPE_MISSED_SALES_PATCH)) return reconcileStripeSubscriptions();
  const window = { lookbackDays: input.lookbackDays ?? DEFAULT_STRIPE_RECONCILE_LOOKBACK_DAYS };
  const sales = await reconcileMissedCheckouts.executeWithOptions({ summary: `Issue licenses for checkouts of the last ${window.lookbackDays} days without one` }, [window]);
  const subscriptions = await reconcileStripeSubscriptions.executeWithOptions({ summary: 'Bring each subscription license in line with Stripe' }, []);
  const reversals = await reconcileOneTimeReversals.executeWithOptions({ summary: `Revoke one-time licenses refunded or disputed in the last ${window.lookbackDays} days` }, [window]);
  return { ...subscriptions, checkouts: sales.checkouts, issued: sales.issued, reversals: reversals.reversals, problems: [...sales.problems, ...subscriptions.problems] };
}
