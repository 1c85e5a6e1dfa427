import type { LicenseFailureType } from '../license-failures.ts';
import type { Features } from '../../schema/plan/plan-policy.ts';
import type { AdminCommand, LicenseState, LicenseTerms, LifecyclePolicy } from '../license-state.ts';
import { unchanged, type Effect, type LicensePatch, type Outcome } from './effects.ts';
import { changePlan } from './on-billing-fact.ts';

export type AdminOperation =
  | { op: 'extend_trial'; until: string }
  | { op: 'change_plan'; planId: string; planCode: string; policy: LifecyclePolicy; effective: 'now' | 'period_end' }
  | { op: 'suspend' }
  | { op: 'reinstate' }
  | { op: 'renew'; until: string }
  | { op: 'set_expiry'; at: string | null }
  | ({ op: 'update_terms' } & LicenseTerms)
  | { op: 'set_seat_limit'; seatLimit: number | null }
  | { op: 'set_features'; features: Features };

export interface Rejection {
  type: LicenseFailureType;
  message: string;
}

const reject = (type: LicenseFailureType, message: string): Rejection => ({ type, message });

/** Why an admin operation cannot apply to this state (synchronous: used by update validators). */
export function rejectAdminOperation(state: LicenseState, command: AdminCommand & AdminOperation, now: number): Rejection | null {
  if (!command.reason?.trim()) return reject('REASON_REQUIRED', `a reason is required to ${command.op.replace('_', ' ')} a license`);
  if (state.status === 'REVOKED') return reject('LICENSE_ALREADY_REVOKED', `license ${state.licenseId} is revoked; nothing can change it`);
  const date = 'until' in command ? command.until : 'at' in command ? command.at : undefined;
  if (date !== undefined && date !== null && Number.isNaN(Date.parse(date))) return reject('INVALID_DATE', `${date} is not a date`);
  switch (command.op) {
    case 'extend_trial':
      if (state.status !== 'TRIALING') return reject('NOT_TRIALING', `only a trial can be extended; this license is ${state.status}`);
      if (state.trialEndsAt && command.until <= state.trialEndsAt) return reject('INVALID_DATE', `the trial already runs until ${state.trialEndsAt}; extend it past that`);
      return null;
    case 'change_plan':
      if (command.planId === state.planId && !state.scheduledPlanChange) return reject('SAME_PLAN', `the license is already on plan ${state.plan}`);
      return null;
    case 'suspend':
      return state.status === 'SUSPENDED' ? reject('ALREADY_SUSPENDED', 'the license is already suspended') : state.status === 'EXPIRED' ? reject('LICENSE_EXPIRED', 'an expired license cannot be suspended') : null;
    case 'reinstate':
      return state.status === 'SUSPENDED' ? null : reject('NOT_SUSPENDED', `only a suspended license can be reinstated; this one is ${state.status}`);
    case 'renew': {
      const floor = Math.max(now, state.expiresAt ? Date.parse(state.expiresAt) : 0);
      return Date.parse(command.until) > floor ? null : reject('INVALID_DATE', `renew until a date after ${new Date(floor).toISOString()}`);
    }
    case 'set_expiry':
      return null;
    case 'update_terms':
      return command.policy && Array.isArray(command.policy.reminderOffsetsDays) ? null : reject('INVALID_REQUEST', 'the terms need a lifecycle policy');
    case 'set_seat_limit':
      return command.seatLimit === null || (Number.isInteger(command.seatLimit) && command.seatLimit >= 0) ? null : reject('INVALID_REQUEST', 'a seat limit is a whole number of seats, or null for unlimited');
    case 'set_features':
      return command.features && typeof command.features === 'object' && !Array.isArray(command.features) ? null : reject('INVALID_REQUEST', 'features are an object of names to values');
  }
}

/** Applies an admin operation the validator accepted; a bulk operation's part names the operation in its audit rows. */
export function onAdminCommand(state: LicenseState, command: AdminCommand & AdminOperation, now: number): Outcome {
  const outcome = decide(state, command, now);
  const bulkOperationId = command.bulkOperationId;
  if (!bulkOperationId) return outcome;
  return { ...outcome, effects: outcome.effects.map((effect) => (effect.kind === 'persist' ? { ...effect, bulkOperationId } : effect)) };
}

function decide(state: LicenseState, command: AdminCommand & AdminOperation, now: number): Outcome {
  const actor = command.actor;
  const by = command.by ? { by: command.by } : {};
  const reason = command.reason;
  const nowIso = new Date(now).toISOString();
  const persist = (patch: LicensePatch, action: string): Effect => ({ kind: 'persist', patch, action, actor, ...by, reason });
  switch (command.op) {
    case 'extend_trial':
      return { state: { ...state, trialEndsAt: command.until }, effects: [persist({ trialEndsAt: command.until }, 'license.trial_extended')] };
    case 'change_plan':
      return changePlan(state, command, actor, reason, command.by);
    case 'suspend':
      return {
        state: { ...state, status: 'SUSPENDED', statusReason: reason },
        effects: [
          persist({ status: 'SUSPENDED', statusReason: reason }, 'license.suspended'),
          { kind: 'notify', event: 'license_suspended', key: `${state.licenseId}:license_suspended:${nowIso}`, data: { reason } },
        ],
      };
    case 'reinstate': {
      const status = state.trialEndsAt && !state.expiresAt && Date.parse(state.trialEndsAt) > now ? 'TRIALING' : 'ACTIVE';
      return { state: { ...state, status, statusReason: null, pastDueSince: null }, effects: [persist({ status, statusReason: null }, 'license.reinstated')] };
    }
    case 'renew': {
      const next: LicenseState = { ...state, status: 'ACTIVE', statusReason: null, expiresAt: command.until, pastDueSince: null, periodStartedAt: nowIso, remindersSent: [], cancelAtPeriodEnd: false };
      return {
        state: next,
        renewed: true,
        effects: [
          persist({ status: 'ACTIVE', statusReason: null, expiresAt: command.until }, state.status === 'TRIALING' ? 'license.converted' : 'license.renewed'),
          { kind: 'notify', event: 'license_renewed', key: `${state.licenseId}:license_renewed:${command.until}`, data: { expires_at: command.until, previous_expires_at: state.expiresAt } },
        ],
      };
    }
    case 'set_expiry':
      if (command.at === state.expiresAt) return unchanged(state, 'the expiry is already that date');
      // Reminders that fell due before the change are not sent late.
      return { state: { ...state, expiresAt: command.at, periodStartedAt: nowIso, remindersSent: [] }, effects: [persist({ expiresAt: command.at }, 'license.expiry_set')] };
    case 'update_terms': {
      // Deadlines are recomputed from the new policy; reminders already sent stay sent.
      const patch: LicensePatch = { ...(command.overrides ? { overrides: command.overrides } : {}), ...(command.metadata ? { metadata: command.metadata } : {}) };
      return { state: { ...state, policy: command.policy }, effects: [persist(patch, 'license.updated')] };
    }
    // Policy overrides the validation path reads from the row: the workflow's state does not hold them.
    case 'set_seat_limit':
      return { state, effects: [persist({ seatLimit: command.seatLimit }, 'license.seat_limit_set')] };
    case 'set_features':
      return { state, effects: [persist({ features: command.features }, 'license.features_set')] };
  }
}
