import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Logger } from '../../lib/logger.ts';
import { License } from '../../schema/entities.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../plans/lifecycle-policy.ts';
import { planForPrices } from './plan-for-prices.ts';
import { subscriptionSnapshot } from './stripe-objects.ts';
import { StripeEventRejection } from './stripe-processing-deps.ts';
import { subscriptionDrift, type StripePlan } from './subscription-drift.ts';

export interface ReconcileReport {
  configured: boolean;
  subscriptions: number;
  /** `license id: signal (event id)` for each repair sent. */
  repairs: string[];
  /** Subscriptions no license belongs to (their checkout never arrived, or was not for a plan). */
  withoutLicense: string[];
  problems: string[];
}

/**
 * The nightly reconciliation: pages through every Stripe subscription and sends each license
 * whose state drifted from its subscription the facts that repair it, through the same
 * signal-with-start as webhooks (revoked licenses are never touched).
 */
export function reconcileStripeSubscriptions(deps: {
  em: EntityManager;
  stripe?: Stripe;
  logger: Logger;
  lifecycle: LicenseLifecycle;
  /** Called once per subscription with its id (the activity heartbeats with it). */
  heartbeat?: (subscriptionId: string) => void;
}) {
  return async (): Promise<ReconcileReport> => {
    const report: ReconcileReport = { configured: Boolean(deps.stripe), subscriptions: 0, repairs: [], withoutLicense: [], problems: [] };
    if (!deps.stripe) return report;
    const now = new Date().toISOString();
    for await (const raw of deps.stripe.subscriptions.list({ status: 'all', limit: 100 })) {
      report.subscriptions += 1;
      deps.heartbeat?.(raw.id);
      const subscription = subscriptionSnapshot(raw as unknown as Record<string, any>);
      const license = await deps.em.fork().findOne(License, { stripeSubscriptionId: subscription.id }, { populate: ['plan'] });
      if (!license) {
        report.withoutLicense.push(subscription.id);
        continue;
      }
      if (license.status === 'REVOKED') continue;
      let plan: StripePlan | null = null;
      try {
        const found = await planForPrices(deps.em, subscription.items);
        const overrides = { ...(license.overrides as PolicyOverrides), seatLimit: found.item.quantity };
        plan = { planId: found.plan.id, planCode: found.plan.code, policy: lifecyclePolicy(effectivePolicy(planPolicy(found.plan), overrides)), seats: found.item.quantity };
      } catch (error) {
        if (!(error instanceof StripeEventRejection)) throw error;
        report.problems.push(`${subscription.id}: ${error.message}`);
      }
      let scheduledPlanId: string | null = null;
      try {
        // No running workflow (null): signal-with-start below starts one from the row.
        scheduledPlanId = (await deps.lifecycle.state(license.id))?.scheduledPlanChange?.planId ?? null;
      } catch (error) {
        // What the workflow has scheduled is unknown: leave this license for the next run.
        report.problems.push(`${subscription.id}: could not read license ${license.id}'s workflow state (${(error as Error).message}); skipped this run`);
        continue;
      }
      const view = {
        id: license.id,
        status: license.status,
        version: license.version,
        planId: license.plan.id,
        seatLimit: (license.overrides as PolicyOverrides).seatLimit ?? null,
        expiresAt: license.expiresAt?.toISOString() ?? null,
        statusReason: license.statusReason ?? null,
        scheduledPlanId,
      };
      for (const message of subscriptionDrift(view, subscription, plan, now)) {
        const sent = await deps.lifecycle.deliverBillingFact(license.id, message);
        if (sent.delivered) report.repairs.push(`${license.id}: ${message.signal.name} (${message.fact.eventId})`);
      }
    }
    deps.logger.info({ subscriptions: report.subscriptions, repairs: report.repairs.length, withoutLicense: report.withoutLicense.length }, 'Stripe reconciliation finished');
    return report;
  };
}
