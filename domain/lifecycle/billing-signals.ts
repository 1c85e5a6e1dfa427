/**
 * The license workflow's billing-fact signals, by name: the domain says which fact goes to a
 * license's workflow, the Temporal client module (temporal/deliver-billing-fact.ts) sends it as
 * the workflow's own signal of that name (workflows/messages.ts).
 */
export const paymentSucceededSignal = { name: 'paymentSucceeded' } as const;
export const paymentFailedSignal = { name: 'paymentFailed' } as const;
export const planChangedSignal = { name: 'planChanged' } as const;
export const subscriptionCanceledSignal = { name: 'subscriptionCanceled' } as const;
export const refundedSignal = { name: 'refunded' } as const;
export const trialWillEndSignal = { name: 'trialWillEnd' } as const;
