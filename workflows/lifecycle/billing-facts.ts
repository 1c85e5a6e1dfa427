/** Facts from the billing system (Stripe), delivered as signals. Each names its source event. */
interface Fact {
  /** The source event id: a fact is applied at most once. */
  eventId: string;
  /** When the source event was created (ISO-8601): older facts never undo newer ones. */
  occurredAt: string;
}

export interface PaymentSucceeded extends Fact {
  periodEnd: string;
  subscriptionId?: string;
}
export interface PaymentFailed extends Fact {
  subscriptionId?: string;
}
export interface PlanChanged extends Fact {
  planId: string;
  planCode: string;
  policy: import('../license-state.ts').LifecyclePolicy;
  /** Upgrades apply now, downgrades at the end of the period. */
  effective: 'now' | 'period_end';
  /** Seats bought (the subscription's quantity); absent: the seats stay as they are. */
  seatLimit?: number | null;
}
export interface SubscriptionCanceled extends Fact {}
/** Stripe's trial-ending notice: the trial's end as Stripe has it (it may have moved). */
export interface TrialWillEnd extends Fact {
  trialEndsAt: string | null;
}
export interface Refunded extends Fact {
  reason: string;
}
