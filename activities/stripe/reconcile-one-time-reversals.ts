import { Context } from '@temporalio/activity';
import type { StripeReconcileDeps, StripeReconcileWindow } from '../../domain/stripe/reconcile-missed-checkouts.ts';
import { reconcileOneTimeReversals } from '../../domain/stripe/reconcile-one-time-reversals.ts';

/** Refunds and disputes of one-time sales as an activity: it heartbeats once per refund or dispute. */
export function reconcileOneTimeReversalsActivity(deps: Omit<StripeReconcileDeps, 'heartbeat'>) {
  return (window: StripeReconcileWindow) => reconcileOneTimeReversals({ ...deps, heartbeat: (id) => Context.current().heartbeat(id) }, window);
}
