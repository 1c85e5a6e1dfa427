import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline } from './lifecycle/deadlines.ts';
import type { PaymentFailed, PaymentSucceeded, PlanChanged, Refunded, SubscriptionCanceled, TrialWillEnd } from './lifecycle/billing-facts.ts';
import type { Features } from '../schema/plan/plan-policy.ts';
import type { AdminCommand, LicenseState, LicenseTerms, LifecyclePolicy, PlanPolicyUpdate } from './license-state.ts';

// Billing facts (from Stripe webhooks or reconciliation). Each carries its source event id.
export const paymentSucceededSignal = defineSignal<[PaymentSucceeded]>('paymentSucceeded');
export const paymentFailedSignal = defineSignal<[PaymentFailed]>('paymentFailed');
export const planChangedSignal = defineSignal<[PlanChanged]>('planChanged');
export const subscriptionCanceledSignal = defineSignal<[SubscriptionCanceled]>('subscriptionCanceled');
export const refundedSignal = defineSignal<[Refunded]>('refunded');
/** Stripe's notice that a trial ends soon (its end may have moved): a trial reminder. */
export const trialWillEndSignal = defineSignal<[TrialWillEnd]>('trialWillEnd');
/** From the reconciliation schedule: write the workflow's state back to the row (drift repair). */
export const reconcileSignal = defineSignal<[{ reason: string }]>('reconcile');
/** From a plan edit's rollout: the plan's new lifecycle policy (grace, reminders, term end). */
export const planPolicyChangedSignal = defineSignal<[PlanPolicyUpdate]>('planPolicyChanged');

// Admin operations: synchronous, validated updates that return the license's new state.
export const revokeUpdate = defineUpdate<LicenseState, [AdminCommand]>('revoke');
export const extendTrialUpdate = defineUpdate<LicenseState, [AdminCommand & { until: string }]>('extendTrial');
export const changePlanUpdate = defineUpdate<
  LicenseState,
  [AdminCommand & { planId: string; planCode: string; policy: LifecyclePolicy; effective: 'now' | 'period_end' }]
>('changePlan');
export const suspendUpdate = defineUpdate<LicenseState, [AdminCommand]>('suspend');
export const reinstateUpdate = defineUpdate<LicenseState, [AdminCommand]>('reinstate');
export const renewUpdate = defineUpdate<LicenseState, [AdminCommand & { until: string }]>('renew');
export const setExpiryUpdate = defineUpdate<LicenseState, [AdminCommand & { at: string | null }]>('setExpiry');
/** A license's own terms edited (PATCH /v1/licenses/{id}): its lifecycle policy, with the overrides and metadata written beside it. */
export const updateTermsUpdate = defineUpdate<LicenseState, [AdminCommand & LicenseTerms]>('updateTerms');
/** The license's own seat limit (an override of its plan's; null: unlimited). */
export const setSeatLimitUpdate = defineUpdate<LicenseState, [AdminCommand & { seatLimit: number | null }]>('setSeatLimit');
/** The license's whole feature set (an override of its plan's): adding or removing one feature sends the set after it. */
export const setFeaturesUpdate = defineUpdate<LicenseState, [AdminCommand & { features: Features }]>('setFeatures');

/** The license's current state as the workflow sees it. */
export const stateQuery = defineQuery<LicenseState>('state');
/** Whether this run has work in hand (queued facts, an operation, a continue-as-new due). */
export const runStatusQuery = defineQuery<{ idle: boolean; continueAsNewDue: boolean; queuedFacts: number; eventsThisRun: number }>('runStatus');
/** What will happen next, and when: reminders, expiry, grace ends, scheduled plan change. */
export const timelineQuery = defineQuery<Deadline[]>('timeline');
