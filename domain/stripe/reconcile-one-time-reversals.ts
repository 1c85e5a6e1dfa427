import type Stripe from 'stripe';
import { License } from '../../schema/entities.ts';
import * as messages from '../lifecycle/billing-signals.ts';
import type { StripeReconcileDeps, StripeReconcileWindow } from './reconcile-missed-checkouts.ts';
import { stripeId, stripeTime } from './stripe-objects.ts';

export interface ReversalsReport {
  /** `license id: refunded (reconcile:refund:re_…)` for each license this pass revoked. */
  reversals: string[];
}

/** Dispute outcomes that took no money back: the license stands (`warning_closed`: an inquiry that became no chargeback). */
const DISPUTES_WITHOUT_CHARGEBACK = ['won', 'warning_closed'];
const REFUNDS_IN_EFFECT = ['succeeded', 'pending', 'requires_action'];

/**
 * Refunds and disputes of one-time purchases whose webhook never arrived: every refund and
 * dispute created in the window whose payment intent paid a one-time license still in force
 * revokes it, as `charge.refunded` (a full refund) and `charge.dispute.created` do, with the
 * same reason and through the same signal, under an event id of its own (`reconcile:refund:…`,
 * `reconcile:dispute:…`), so it applies once. A partial refund, a refund that failed or was
 * canceled, and a dispute the seller won change nothing. Subscription payments are not touched
 * here (the subscription pass follows the subscription itself).
 */
export async function reconcileOneTimeReversals(deps: StripeReconcileDeps, window: StripeReconcileWindow): Promise<ReversalsReport> {
    const report: ReversalsReport = { reversals: [] };
    if (!deps.stripe) return report;
    const since = Math.floor(Date.now() / 1000) - window.lookbackDays * 86_400;

    const revoke = async (paymentIntentId: string | null, eventId: string, occurredAt: number, reason: string) => {
      if (!paymentIntentId) return;
      const license = await deps.em.fork().findOne(License, { stripePaymentIntentId: paymentIntentId }, { fields: ['id', 'status'] });
      if (!license || license.status === 'REVOKED') return;
      const sent = await deps.lifecycle.deliverBillingFact(license.id, { signal: messages.refundedSignal, fact: { eventId, occurredAt: stripeTime(occurredAt)!, reason } });
      if (sent.delivered) report.reversals.push(`${license.id}: refunded (${eventId})`);
    };

    for await (const refund of deps.stripe.refunds.list({ created: { gte: since }, limit: 100, expand: ['data.charge'] })) {
      deps.heartbeat?.(refund.id);
      if (!REFUNDS_IN_EFFECT.includes(refund.status ?? '') || !refund.charge) continue;
      const charge: Stripe.Charge = typeof refund.charge === 'string' ? await deps.stripe.charges.retrieve(refund.charge) : refund.charge;
      if (!charge.refunded) continue;
      await revoke(stripeId(refund.payment_intent) ?? stripeId(charge.payment_intent), `reconcile:refund:${refund.id}`, refund.created, `charge ${charge.id} refunded`);
    }
    for await (const dispute of deps.stripe.disputes.list({ created: { gte: since }, limit: 100 })) {
      deps.heartbeat?.(dispute.id);
      if (DISPUTES_WITHOUT_CHARGEBACK.includes(dispute.status)) continue;
      await revoke(stripeId(dispute.payment_intent), `reconcile:dispute:${dispute.id}`, dispute.created, `chargeback: dispute ${dispute.id}${dispute.reason ? ` (${dispute.reason})` : ''}`);
    }
    if (report.reversals.length) deps.logger.info({ revoked: report.reversals.length }, 'Stripe reconciliation revoked one-time licenses whose payment was refunded or disputed');
    return report;
}
