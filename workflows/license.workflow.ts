import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { DEFAULT_LIFECYCLE_POLICY, type AdminCommand, type LicenseState, type LicenseWorkflowInput, type PlanPolicyUpdate } from './license-state.ts';
import { rejectLicenseOperation } from './license-failures.ts';
import { upcomingDeadlines } from './lifecycle/deadlines.ts';
import type { Outcome } from './lifecycle/effects.ts';
import { onAdminCommand, rejectAdminOperation, type AdminOperation } from './lifecycle/on-admin-command.ts';
import { onBillingFact, type BillingFact } from './lifecycle/on-billing-fact.ts';
import { onDeadline } from './lifecycle/on-deadline.ts';
import { onPlanPolicy } from './lifecycle/on-plan-policy.ts';
import { persistEffects, publish, revokeLicense, writeStateToRow } from './lifecycle/run-effects.ts';
import * as messages from './messages.ts';

/** Histories recorded before the lifecycle engine (walking skeleton) replay without timers. */
export const LIFECYCLE_PATCH = 'lifecycle-engine-v1';
const DEFAULT_EVENTS_PER_RUN = 500;

function withDefaults(input: LicenseWorkflowInput): LicenseState {
  return {
    ...input,
    policy: input.policy ?? DEFAULT_LIFECYCLE_POLICY,
    periodStartedAt: input.periodStartedAt ?? workflowInfo().runStartTime.toISOString(),
    remindersSent: input.remindersSent ?? [],
    appliedEventIds: input.appliedEventIds ?? [],
  };
}

/**
 * One long-lived workflow per license (id `license-<id>`). It owns every time- and
 * billing-driven transition: a single loop waits for the next deadline or a change and
 * recomputes after each. The decisions are pure functions (./lifecycle); activities write
 * Postgres and the notification outbox, so the validation path sees each transition at once.
 */
export async function licenseWorkflow(input: LicenseWorkflowInput): Promise<LicenseState> {
  let state = withDefaults(input);
  const lifecycle = patched(LIFECYCLE_PATCH);
  const facts: Array<BillingFact | { type: 'reconcile'; reason: string } | { type: 'plan_policy'; update: PlanPolicyUpdate }> = [];
  let busy = false;
  let changed = false;
  let renewed = false;
  let eventsThisRun = 0;

  /** Admin operations, facts and deadlines run one at a time, in arrival order. */
  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    // Re-check after every wake-up: handlers released in the same activation would
    // otherwise all see the lock free before the first of them takes it.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  async function commit(outcome: Outcome): Promise<void> {
    if (outcome.ignored) {
      state = outcome.state;
      return;
    }
    const version = await persistEffects(state, outcome);
    state = { ...outcome.state, version: version ?? state.version };
    renewed ||= Boolean(outcome.renewed);
    eventsThisRun += 1;
    changed = true;
    publish(state);
  }

  setHandler(messages.stateQuery, () => state);
  setHandler(messages.timelineQuery, () => upcomingDeadlines(state));
  const continueAsNewDue = () => renewed || eventsThisRun >= (state.eventsPerRun ?? DEFAULT_EVENTS_PER_RUN) || workflowInfo().continueAsNewSuggested;
  setHandler(messages.runStatusQuery, () => ({
    idle: !busy && facts.length === 0 && !continueAsNewDue(),
    continueAsNewDue: continueAsNewDue(),
    queuedFacts: facts.length,
    eventsThisRun,
  }));

  setHandler(
    messages.revokeUpdate,
    (command: AdminCommand) =>
      exclusive(async () => {
        if (state.status === 'REVOKED') throw rejectLicenseOperation('LICENSE_ALREADY_REVOKED', `license ${state.licenseId} is already revoked`);
        const written = await revokeLicense(state, command);
        state = { ...state, status: 'REVOKED', statusReason: command.reason, version: written.version, scheduledPlanChange: null };
        if (lifecycle) await persistEffects(state, { state, effects: [{ kind: 'notify', event: 'license_revoked', key: `${state.licenseId}:license_revoked`, data: { reason: command.reason } }] });
        changed = true;
        publish(state);
        return state;
      }),
    {
      description: 'Revoke the license for good (refund, chargeback, fraud, admin decision).',
      validator: (command: AdminCommand) => {
        if (!command?.reason?.trim()) throw rejectLicenseOperation('REASON_REQUIRED', 'a reason is required to revoke a license');
        if (state.status === 'REVOKED') throw rejectLicenseOperation('LICENSE_ALREADY_REVOKED', `license ${state.licenseId} is already revoked`);
      },
    },
  );

  const adminUpdates = [
    [messages.extendTrialUpdate, 'extend_trial', 'Extend the trial to a later date.'],
    [messages.changePlanUpdate, 'change_plan', 'Move the license to another plan, now or at the end of the period.'],
    [messages.suspendUpdate, 'suspend', 'Suspend the license until it is reinstated.'],
    [messages.reinstateUpdate, 'reinstate', 'Lift a suspension.'],
    [messages.renewUpdate, 'renew', 'Extend the same key to a new expiry (converts a trial).'],
    [messages.setExpiryUpdate, 'set_expiry', 'Set the expiry date (null: perpetual).'],
    // New handlers: histories recorded before them replay unchanged.
    [messages.updateTermsUpdate, 'update_terms', 'Edit the license\'s own terms: its lifecycle policy, overrides and metadata.'],
    [messages.setSeatLimitUpdate, 'set_seat_limit', 'Set the license\'s own seat limit (null: unlimited).'],
    [messages.setFeaturesUpdate, 'set_features', 'Set the license\'s feature entitlements (the whole set).'],
  ] as const;
  for (const [update, op, description] of adminUpdates) {
    const asOperation = (args: AdminCommand & Record<string, unknown>) => ({ ...args, op }) as AdminCommand & AdminOperation;
    setHandler(
      update as typeof messages.suspendUpdate,
      (args: AdminCommand) =>
        exclusive(async () => {
          const command = asOperation(args as AdminCommand & Record<string, unknown>);
          const rejection = rejectAdminOperation(state, command, Date.now());
          if (rejection) throw rejectLicenseOperation(rejection.type, rejection.message);
          await commit(onAdminCommand(state, command, Date.now()));
          return state;
        }),
      {
        description,
        validator: (args: AdminCommand) => {
          const rejection = rejectAdminOperation(state, asOperation(args as AdminCommand & Record<string, unknown>), Date.now());
          if (rejection) throw rejectLicenseOperation(rejection.type, rejection.message);
        },
      },
    );
  }

  const queueFact = (type: BillingFact['type']) => (fact: Omit<BillingFact, 'type'>) => {
    facts.push({ ...fact, type } as BillingFact);
  };
  setHandler(messages.paymentSucceededSignal, queueFact('payment_succeeded'));
  setHandler(messages.paymentFailedSignal, queueFact('payment_failed'));
  setHandler(messages.planChangedSignal, queueFact('plan_changed'));
  setHandler(messages.subscriptionCanceledSignal, queueFact('subscription_canceled'));
  setHandler(messages.refundedSignal, queueFact('refunded'));
  // New handler: histories without this signal replay unchanged.
  setHandler(messages.trialWillEndSignal, queueFact('trial_will_end'));
  setHandler(messages.reconcileSignal, ({ reason }) => {
    facts.push({ type: 'reconcile', reason });
  });
  // New handler (histories without it replay unchanged): a plan edit's policy, applied in turn
  // with the facts, so it never lands in the middle of a transition.
  setHandler(messages.planPolicyChangedSignal, (update) => {
    facts.push({ type: 'plan_policy', update });
  });

  publish(state);

  if (!lifecycle) {
    // The walking skeleton's behaviour, kept for its recorded histories.
    await condition(() => state.status === 'REVOKED');
    await condition(allHandlersFinished);
    return state;
  }

  for (;;) {
    const fact = facts.shift();
    if (fact) {
      await exclusive(async () => {
        if (fact.type === 'plan_policy') return commit(onPlanPolicy(state, fact.update, Date.now()));
        if (fact.type !== 'reconcile') return commit(onBillingFact(state, fact, Date.now()));
        state = { ...state, version: (await writeStateToRow(state, fact.reason)) ?? state.version };
      });
      continue;
    }
    if (state.status === 'REVOKED') {
      await condition(() => allHandlersFinished() && !busy);
      if (facts.length === 0) return state;
      continue;
    }
    if (continueAsNewDue()) {
      // Only from here, with every handler finished, so no caller loses its answer.
      await condition(() => allHandlersFinished() && !busy);
      if (facts.length === 0) await continueAsNew<typeof licenseWorkflow>(state);
      continue;
    }

    const next = upcomingDeadlines(state)[0];
    changed = false;
    const wake = () => changed || facts.length > 0 || workflowInfo().continueAsNewSuggested;
    const timedOut = next
      ? !(await condition(wake, Math.max(next.at - Date.now(), 1), { summary: next.summary }))
      : !(await condition(wake).then(() => true));
    if (!timedOut || !next) continue;
    await exclusive(async () => {
      // A handler may have moved things while the timer fired: act only if it is still due.
      const due = upcomingDeadlines(state)[0];
      if (due && due.kind === next.kind && due.at === next.at && due.at <= Date.now()) await commit(onDeadline(state, due, Date.now()));
    });
  }
}
