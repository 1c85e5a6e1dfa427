import type { AdminActing, LicenseState } from '../license-state.ts';
import type { PaymentFailed, PaymentSucceeded, PlanChanged, Refunded, SubscriptionCanceled, TrialWillEnd } from './billing-facts.ts';
import { reminderKey } from './deadlines.ts';
import { unchanged, type Effect, type Outcome } from './effects.ts';

/** How many applied billing event ids the workflow keeps (the most recent). */
export const KEEP_EVENT_IDS = 200;
/** Stripe's `customer.subscription.trial_will_end` comes 3 days ahead, like the first trial reminder. */
const BILLING_TRIAL_NOTICE_DAYS = 3;
const later = (a: string | null | undefined, b: string) => (!a || b > a ? b : a);

export type BillingFact =
  | ({ type: 'payment_succeeded' } & PaymentSucceeded)
  | ({ type: 'payment_failed' } & PaymentFailed)
  | ({ type: 'plan_changed' } & PlanChanged)
  | ({ type: 'subscription_canceled' } & SubscriptionCanceled)
  | ({ type: 'refunded' } & Refunded)
  | ({ type: 'trial_will_end' } & TrialWillEnd);

function remember(state: LicenseState, eventId: string): LicenseState {
  return { ...state, appliedEventIds: [...(state.appliedEventIds ?? []), eventId].slice(-KEEP_EVENT_IDS) };
}

/**
 * Applies one billing fact. Each source event applies at most once, and a fact older than the
 * state already applied changes nothing, so duplicated and out-of-order delivery converge.
 */
export function onBillingFact(current: LicenseState, fact: BillingFact, now: number): Outcome {
  if (current.appliedEventIds?.includes(fact.eventId)) return unchanged(current, `event ${fact.eventId} was already applied`);
  const state = remember(current, fact.eventId);
  if (state.status === 'REVOKED') return unchanged(state, 'the license is revoked');
  const actor = `billing:${fact.eventId}`;
  const effects: Effect[] = [];

  switch (fact.type) {
    case 'payment_succeeded': {
      const stale = Boolean(state.lastPaymentFactAt && fact.occurredAt < state.lastPaymentFactAt);
      const oldEnd = state.expiresAt;
      const newEnd = !oldEnd || fact.periodEnd > oldEnd ? fact.periodEnd : oldEnd;
      const renewed = newEnd !== oldEnd;
      const recovers = !stale && state.status !== 'ACTIVE';
      if (!renewed && !recovers) return unchanged(state, stale ? 'an older payment than one already applied' : 'nothing new in this payment');
      const next: LicenseState = {
        ...state,
        status: recovers ? 'ACTIVE' : state.status,
        statusReason: recovers ? null : state.statusReason,
        expiresAt: newEnd,
        pastDueSince: recovers ? null : state.pastDueSince,
        lastPaymentFactAt: later(state.lastPaymentFactAt, fact.occurredAt),
        subscriptionId: fact.subscriptionId ?? state.subscriptionId ?? null,
        ...(renewed ? { periodStartedAt: new Date(now).toISOString(), remindersSent: [], cancelAtPeriodEnd: false } : {}),
      };
      const action = state.status === 'TRIALING' ? 'license.converted' : renewed ? 'license.renewed' : 'license.payment_recovered';
      effects.push({ kind: 'persist', patch: { status: next.status, expiresAt: newEnd, statusReason: next.statusReason }, action, actor, reason: `payment received; paid through ${newEnd.slice(0, 10)}` });
      if (renewed) effects.push({ kind: 'notify', event: 'license_renewed', key: `${state.licenseId}:license_renewed:${newEnd}`, data: { expires_at: newEnd, previous_expires_at: oldEnd } });
      return { state: next, effects, renewed };
    }
    case 'payment_failed': {
      if (state.lastPaymentFactAt && fact.occurredAt < state.lastPaymentFactAt) return unchanged(state, 'an older failure than a payment already applied');
      const next: LicenseState = { ...state, lastPaymentFactAt: fact.occurredAt };
      if (state.status !== 'ACTIVE') return unchanged(next, `a failed payment changes nothing while ${state.status}`);
      Object.assign(next, { status: 'PAST_DUE', pastDueSince: fact.occurredAt, statusReason: 'payment failed' });
      effects.push(
        { kind: 'persist', patch: { status: 'PAST_DUE', statusReason: 'payment failed' }, action: 'license.past_due', actor, reason: 'payment failed' },
        { kind: 'notify', event: 'payment_failed', key: `${state.licenseId}:payment_failed:${fact.eventId}`, data: { failed_at: fact.occurredAt } },
      );
      return { state: next, effects };
    }
    case 'plan_changed': {
      if (state.lastPlanFactAt && fact.occurredAt < state.lastPlanFactAt) return unchanged(state, 'an older plan change than one already applied');
      const next: LicenseState = { ...state, lastPlanFactAt: fact.occurredAt };
      return changePlan(next, fact, actor, 'subscription changed');
    }
    case 'subscription_canceled': {
      const end = state.expiresAt ? Date.parse(state.expiresAt) : null;
      if (end !== null && end > now) {
        const next = { ...state, cancelAtPeriodEnd: true };
        effects.push({ kind: 'persist', patch: {}, action: 'license.cancellation_scheduled', actor, reason: `subscription canceled; the license ends on ${state.expiresAt!.slice(0, 10)}` });
        return { state: next, effects };
      }
      const next: LicenseState = { ...state, status: 'EXPIRED', statusReason: 'subscription canceled', cancelAtPeriodEnd: true };
      effects.push(
        { kind: 'persist', patch: { status: 'EXPIRED', statusReason: 'subscription canceled' }, action: 'license.expired', actor, reason: 'subscription canceled' },
        { kind: 'notify', event: 'license_expired', key: `${state.licenseId}:license_expired:canceled`, data: { canceled: true } },
      );
      return { state: next, effects };
    }
    case 'trial_will_end': {
      if (state.status !== 'TRIALING') return unchanged(state, `a trial notice changes nothing while ${state.status}`);
      const trialEndsAt = fact.trialEndsAt ?? state.trialEndsAt;
      const next: LicenseState = { ...state, trialEndsAt };
      const moved = trialEndsAt !== state.trialEndsAt;
      effects.push({
        kind: 'persist',
        patch: moved ? { trialEndsAt } : {},
        action: moved ? 'license.trial_end_moved' : 'license.trial_ending',
        actor,
        reason: `the billing system says the trial ends ${trialEndsAt ? trialEndsAt.slice(0, 10) : 'now'}`,
      });
      if (!trialEndsAt) return { state: next, effects };
      // Stripe sends this notice 3 days before the trial ends: it is the workflow's own 3-day
      // reminder, under the same key, so the customer hears it once (whichever comes first).
      const end = Date.parse(trialEndsAt);
      const key = reminderKey(next, 'trial_reminder', end, BILLING_TRIAL_NOTICE_DAYS);
      if ((state.remindersSent ?? []).includes(key)) return { state: next, effects };
      effects.push({ kind: 'notify', event: 'trial_ending', key, data: { days_before: BILLING_TRIAL_NOTICE_DAYS, trial_ends_at: trialEndsAt, source: 'billing' } });
      return { state: { ...next, remindersSent: [...(next.remindersSent ?? []), key] }, effects };
    }
    case 'refunded': {
      const reason = `refunded: ${fact.reason}`;
      effects.push(
        { kind: 'persist', patch: { status: 'REVOKED', statusReason: reason }, action: 'license.revoked', actor, reason },
        { kind: 'notify', event: 'license_revoked', key: `${state.licenseId}:license_revoked`, data: { reason } },
      );
      return { state: { ...state, status: 'REVOKED', statusReason: reason }, effects };
    }
  }
}

/** A plan change now, or scheduled for the end of the period (when the license has one). */
export function changePlan(
  state: LicenseState,
  change: { planId: string; planCode: string; policy: LicenseState['policy'] & object; effective: 'now' | 'period_end'; seatLimit?: number | null },
  actor: string,
  reason: string,
  acting?: AdminActing,
): Outcome {
  const by = acting ? { by: acting } : {};
  if (change.effective === 'period_end' && state.expiresAt) {
    const seats = change.seatLimit !== undefined ? { seatLimit: change.seatLimit } : {};
    const scheduled = { planId: change.planId, planCode: change.planCode, policy: change.policy, ...seats, effectiveAt: state.expiresAt, actor, ...by, reason };
    return {
      state: { ...state, scheduledPlanChange: scheduled },
      effects: [{ kind: 'persist', patch: {}, action: 'license.plan_change_scheduled', actor, ...by, reason: `${reason}: ${state.plan} → ${change.planCode} on ${state.expiresAt.slice(0, 10)}` }],
    };
  }
  return {
    state: { ...state, plan: change.planCode, planId: change.planId, policy: change.policy, scheduledPlanChange: null },
    effects: [
      {
        kind: 'persist',
        patch: { planId: change.planId, ...(change.seatLimit !== undefined ? { seatLimit: change.seatLimit } : {}) },
        action: 'license.plan_changed',
        actor,
        ...by,
        reason: `${reason}: ${state.plan} → ${change.planCode}${change.seatLimit != null ? ` (${change.seatLimit} seats)` : ''}`,
      },
    ],
  };
}
