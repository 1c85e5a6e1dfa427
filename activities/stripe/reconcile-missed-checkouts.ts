import { Context } from '@temporalio/activity';
import { reconcileMissedCheckouts, type StripeReconcileDeps, type StripeReconcileWindow } from '../../domain/stripe/reconcile-missed-checkouts.ts';

/** Missed Stripe sales as an activity: it heartbeats once per Checkout Session, so a stuck page is retried. */
export function reconcileMissedCheckoutsActivity(deps: Omit<StripeReconcileDeps, 'heartbeat'>) {
  return (window: StripeReconcileWindow) => reconcileMissedCheckouts({ ...deps, heartbeat: (id) => Context.current().heartbeat(id) }, window);
}
