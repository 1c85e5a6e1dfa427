import type { LicenseStatus } from '../../schema/license/license-status.ts';
import type { LifecyclePolicy } from '../../workflows/license-state.ts';
import { SUSPENDED_FOR_NON_PAYMENT } from '../../schema/license/license-status.ts';
import * as messages from '../lifecycle/billing-signals.ts';
import type { BillingFactMessage } from '../lifecycle/license-lifecycle.ts';
import type { SubscriptionSnapshot } from './stripe-objects.ts';

/** A license as the reconciliation compares it with its subscription. */
export interface LicenseView {
  id: string;
  status: LicenseStatus;
  version: number;
  planId: string;
  seatLimit: number | null;
  expiresAt: string | null;
  statusReason: string | null;
  /** The plan change the workflow already has scheduled, if any (a downgrade waiting for period end). */
  scheduledPlanId: string | null;
}

export interface StripePlan {
  planId: string;
  planCode: string;
  policy: LifecyclePolicy;
  seats: number;
}

const ENDED = ['canceled', 'incomplete_expired'];
const UNPAID = ['past_due', 'unpaid'];

/**
 * The facts that bring a license back in line with its subscription as Stripe has it now
 * (after missed webhooks). Event ids name the repair and the license version, so a repair is
 * applied once, and a later drift of the same kind is repaired again. Pure: no I/O.
 */
export function subscriptionDrift(license: LicenseView, subscription: SubscriptionSnapshot, plan: StripePlan | null, now: string): BillingFactMessage[] {
  if (license.status === 'REVOKED') return [];
  const id = (what: string) => `reconcile:${subscription.id}:${what}:v${license.version}`;
  const facts: BillingFactMessage[] = [];
  if (ENDED.includes(subscription.status)) {
    if (license.status !== 'EXPIRED') facts.push({ signal: messages.subscriptionCanceledSignal, fact: { eventId: id('canceled'), occurredAt: now } });
    return facts;
  }
  if (plan && (plan.planId !== license.planId || plan.seats !== license.seatLimit) && license.scheduledPlanId !== plan.planId) {
    facts.push({
      signal: messages.planChangedSignal,
      fact: { eventId: id(`plan:${plan.planId}:${plan.seats}`), occurredAt: now, planId: plan.planId, planCode: plan.planCode, policy: plan.policy, effective: 'now', seatLimit: plan.seats },
    });
  }
  if (UNPAID.includes(subscription.status)) {
    if (license.status === 'ACTIVE') facts.push({ signal: messages.paymentFailedSignal, fact: { eventId: id('past_due'), occurredAt: now, subscriptionId: subscription.id } });
    return facts;
  }
  if (subscription.status === 'active' && subscription.currentPeriodEnd) {
    const behind = !license.expiresAt || subscription.currentPeriodEnd > license.expiresAt;
    // A suspension for non-payment is lifted by a paid subscription; one an admin decided is not.
    const suspendedForNonPayment = license.status === 'SUSPENDED' && license.statusReason === SUSPENDED_FOR_NON_PAYMENT;
    const unpaidHere = license.status === 'PAST_DUE' || suspendedForNonPayment || license.status === 'TRIALING';
    if (behind || unpaidHere) {
      facts.push({ signal: messages.paymentSucceededSignal, fact: { eventId: id(`paid:${subscription.currentPeriodEnd}`), occurredAt: now, periodEnd: subscription.currentPeriodEnd, subscriptionId: subscription.id } });
    }
  }
  return facts;
}
