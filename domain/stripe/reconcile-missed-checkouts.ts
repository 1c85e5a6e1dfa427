import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import type { MessageDeliveries } from '../outbox/queue-message.ts';
import { saleLicense } from './issue-stripe-license.ts';
import { provisionLicense } from './provision-license.ts';
import { provisionOneTimeLicense } from './provision-one-time-license.ts';
import { stripeApiRefusal } from './stripe-api-refusal.ts';
import { checkoutFacts } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** How far back the nightly pass looks for sales and reversals whose webhooks never arrived. */
export interface StripeReconcileWindow {
  lookbackDays: number;
}

export interface MissedCheckoutsReport {
  /** Completed Checkout Sessions looked at. */
  checkouts: number;
  /** `license id: checkout cs_…` for each license this pass issued. */
  issued: string[];
  problems: string[];
}

export interface StripeReconcileDeps {
  em: EntityManager;
  stripe?: Stripe;
  secret?: ServerSecret;
  logger: Logger;
  lifecycle: LicenseLifecycle;
  /** Starts the key emails of the licenses issued (else the outbox sweep sends them). */
  deliveries?: MessageDeliveries;
  /** Called once per Stripe object looked at (the activity heartbeats). */
  heartbeat?: (objectId: string) => void;
}

/** The reconciliation's own event id for a sale it provisions: the audit trail says who issued it. */
export const reconciledCheckoutEventId = (sessionId: string) => `reconcile:${sessionId}`;

/** What Stripe says became of a one-time payment: refunded in full or disputed (no license then). */
async function reversedAtStripe(stripe: Stripe, paymentIntentId: string): Promise<string | null> {
  const intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
  const charge = intent.latest_charge;
  if (!charge || typeof charge === 'string') return null;
  if (charge.refunded) return `refunded in full (charge ${charge.id})`;
  if (charge.disputed) return `disputed (charge ${charge.id})`;
  return null;
}

/**
 * Sales whose `checkout.session.completed` never arrived (the endpoint was down past Stripe's
 * retries, or the event was not subscribed): every Checkout Session completed in the window
 * that sold something (a subscription, or a paid one-time purchase) and has no license gets
 * one, through the very provisioning the webhook runs (one license per subscription or
 * session, under its advisory lock), and its key email starts at once. A session still unpaid
 * (an asynchronous payment) waits for its webhook or a later night; a one-time payment Stripe
 * shows refunded or disputed issues nothing. Sessions completed before the window are left
 * alone: licenses are never issued for sales from before Keywarden was installed.
 */
export async function reconcileMissedCheckouts(deps: StripeReconcileDeps, window: StripeReconcileWindow): Promise<MissedCheckoutsReport> {
    const report: MissedCheckoutsReport = { checkouts: 0, issued: [], problems: [] };
    if (!deps.stripe || !deps.secret) return report;
    const processing: StripeProcessingDeps = { em: deps.em, lifecycle: deps.lifecycle, deliveries: deps.deliveries, stripe: deps.stripe, secret: deps.secret, logger: deps.logger };
    const since = Math.floor(Date.now() / 1000) - window.lookbackDays * 86_400;
    for await (const session of deps.stripe.checkout.sessions.list({ status: 'complete', created: { gte: since }, limit: 100 })) {
      deps.heartbeat?.(session.id);
      if (session.status !== 'complete') continue;
      report.checkouts += 1;
      const checkout = checkoutFacts(session as unknown as Record<string, any>);
      if (!checkout.paid) continue;
      const oneTime = !checkout.subscriptionId && checkout.mode === 'payment';
      if (!checkout.subscriptionId && !oneTime) continue;
      const sale = checkout.subscriptionId ? { stripeSubscriptionId: checkout.subscriptionId } : { stripeCheckoutSessionId: checkout.sessionId };
      if (await saleLicense(deps.em, sale)) continue;
      try {
        const reversed = oneTime && checkout.paymentIntentId ? await reversedAtStripe(deps.stripe, checkout.paymentIntentId) : null;
        if (reversed) {
          report.problems.push(`checkout ${session.id}: PAYMENT_REVERSED: its payment was ${reversed} before a license was issued; none is issued`);
          continue;
        }
        const eventId = reconciledCheckoutEventId(session.id);
        const provisioned = checkout.subscriptionId
          ? await provisionLicense(processing, eventId, session as unknown as Record<string, any>, checkout.subscriptionId)
          : await provisionOneTimeLicense(processing, eventId, session as unknown as Record<string, any>);
        if (provisioned.created) report.issued.push(`${provisioned.licenseId}: checkout ${session.id}`);
      } catch (error) {
        // A configuration problem (no plan sells the price, no email) is reported; an outage
        // fails the activity, whose retry runs the pass again (provisioning is idempotent).
        const rejection = error instanceof StripeEventRejection ? error : stripeApiRefusal(error);
        if (!rejection) throw error;
        report.problems.push(`checkout ${session.id}: ${rejection.code}: ${rejection.message}`);
      }
    }
    if (report.issued.length) deps.logger.info({ issued: report.issued.length }, 'Stripe reconciliation issued licenses for checkouts whose webhook never arrived');
    return report;
}
