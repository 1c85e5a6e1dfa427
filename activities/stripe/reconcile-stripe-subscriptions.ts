import { Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Logger } from '../../lib/logger.ts';
import type { LicenseLifecycle } from '../../domain/lifecycle/license-lifecycle.ts';
import { reconcileStripeSubscriptions } from '../../domain/stripe/reconcile-stripe-subscriptions.ts';

/** The nightly Stripe reconciliation as an activity: it heartbeats once per subscription, so a stuck page is retried. */
export function reconcileStripeSubscriptionsActivity(deps: { em: EntityManager; stripe?: Stripe; logger: Logger; lifecycle: LicenseLifecycle }) {
  return reconcileStripeSubscriptions({ ...deps, heartbeat: (subscriptionId) => Context.current().heartbeat(subscriptionId) });
}
