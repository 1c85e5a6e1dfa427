import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import type { Features, LicensePolicy } from '../../schema/plan/plan-policy.ts';
import type { AdminCommand, LicenseState, LicenseTerms, LifecyclePolicy } from '../../workflows/license-state.ts';
import type { PaymentFailed, PaymentSucceeded, PlanChanged, Refunded, SubscriptionCanceled, TrialWillEnd } from '../../workflows/lifecycle/billing-facts.ts';
import type * as signals from './billing-signals.ts';

/**
 * What the domain asks of the lifecycle engine: each license's long-lived workflow. The domain
 * names the messages (their payload types come from workflows/, as types only); the Temporal
 * client module (temporal/license-workflows.ts) carries them, each call under a deadline. When
 * the engine does not answer, every method throws LifecycleUnavailable
 * (domain/lifecycle/lifecycle-unavailable.ts); a refusal by the workflow is a DomainError.
 */
export interface LicenseLifecycle {
  /** Starts a new license's workflow. */
  start(subject: LicenseSubject): Promise<void>;
  /** Makes sure a license's workflow runs: one that is not there starts from the row (never for a revoked license). */
  ensureRunning(license: LicenseEntity): Promise<void>;
  /** Hands a billing fact to the license's workflow, starting it from the row when it is missing. */
  deliverBillingFact(licenseId: string, message: BillingFactMessage, options?: { deliveredBefore?: boolean }): Promise<Delivery>;
  /**
   * An admin operation, as a validated update of the workflow; the license's new state. With an
   * `updateId`, sending it again (a retried activity) yields the first outcome, not a second change.
   */
  update(licenseId: string, update: AdminUpdate, options?: { updateId?: string }): Promise<LicenseState>;
  /** The workflow's state; null when the license has no running workflow. */
  state(licenseId: string): Promise<LicenseState | null>;
}

/** A license as its workflow starts from it: descriptive fields only, never the key. */
export interface LicenseSubject {
  license: LicenseEntity;
  planId: string;
  planCode: string;
  policy: LicensePolicy;
  customerEmail: string | null;
}

/** The admin operations a license's workflow accepts, by update name. */
export type AdminUpdate =
  | { name: 'revoke'; args: AdminCommand }
  | { name: 'extendTrial'; args: AdminCommand & { until: string } }
  | { name: 'changePlan'; args: AdminCommand & { planId: string; planCode: string; policy: LifecyclePolicy; effective: 'now' | 'period_end' } }
  | { name: 'suspend'; args: AdminCommand }
  | { name: 'reinstate'; args: AdminCommand }
  | { name: 'renew'; args: AdminCommand & { until: string } }
  | { name: 'setExpiry'; args: AdminCommand & { at: string | null } }
  | { name: 'updateTerms'; args: AdminCommand & LicenseTerms }
  | { name: 'setSeatLimit'; args: AdminCommand & { seatLimit: number | null } }
  | { name: 'setFeatures'; args: AdminCommand & { features: Features } };

/** A billing fact for a license's workflow, with the signal that carries it (domain/lifecycle/billing-signals.ts). */
export type BillingFactMessage =
  | { signal: typeof signals.paymentSucceededSignal; fact: PaymentSucceeded }
  | { signal: typeof signals.paymentFailedSignal; fact: PaymentFailed }
  | { signal: typeof signals.planChangedSignal; fact: PlanChanged }
  | { signal: typeof signals.subscriptionCanceledSignal; fact: SubscriptionCanceled }
  | { signal: typeof signals.refundedSignal; fact: Refunded }
  | { signal: typeof signals.trialWillEndSignal; fact: TrialWillEnd };

export interface Delivery {
  delivered: boolean;
  detail: string;
}
