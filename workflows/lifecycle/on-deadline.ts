import { DEFAULT_LIFECYCLE_POLICY, type LicenseState } from '../license-state.ts';
import { SUSPENDED_FOR_NON_PAYMENT } from '../../schema/license/license-status.ts';
import type { Deadline } from './deadlines.ts';
import type { Effect, Outcome } from './effects.ts';

const SYSTEM = 'workflow';

/** What a deadline does when its timer fires. */
export function onDeadline(state: LicenseState, deadline: Deadline, now: number): Outcome {
  const next: LicenseState = { ...state };
  const effects: Effect[] = [];
  const markSent = (key: string) => (next.remindersSent = [...(state.remindersSent ?? []), key]);
  const nowIso = new Date(now).toISOString();

  switch (deadline.kind) {
    case 'trial_reminder':
      markSent(deadline.key!);
      effects.push({ kind: 'notify', event: 'trial_ending', key: deadline.key!, data: { days_before: deadline.offsetDays, trial_ends_at: state.trialEndsAt } });
      break;
    case 'renewal_reminder':
      markSent(deadline.key!);
      effects.push({ kind: 'notify', event: 'renewal_reminder', key: deadline.key!, data: { days_before: deadline.offsetDays, expires_at: state.expiresAt } });
      break;
    case 'expiry': {
      markSent(deadline.key!);
      const graceDays = (state.policy ?? DEFAULT_LIFECYCLE_POLICY).expiryGraceDays;
      next.statusReason = `term ended; post-expiry grace of ${graceDays} day(s)`;
      effects.push({ kind: 'persist', patch: { statusReason: next.statusReason }, action: 'license.grace_started', actor: SYSTEM, reason: next.statusReason });
      break;
    }
    case 'trial_end':
      next.status = 'EXPIRED';
      next.statusReason = 'trial ended without a purchase';
      effects.push(
        { kind: 'persist', patch: { status: 'EXPIRED', statusReason: next.statusReason }, action: 'license.trial_expired', actor: SYSTEM, reason: next.statusReason },
        { kind: 'notify', event: 'license_expired', key: `${state.licenseId}:license_expired:${state.trialEndsAt}`, data: { trial: true, trial_ends_at: state.trialEndsAt } },
      );
      break;
    case 'expiry_grace_end':
      next.status = 'EXPIRED';
      next.statusReason = state.cancelAtPeriodEnd ? 'subscription canceled; term ended' : 'term ended without renewal';
      effects.push(
        { kind: 'persist', patch: { status: 'EXPIRED', statusReason: next.statusReason }, action: 'license.expired', actor: SYSTEM, reason: next.statusReason },
        { kind: 'notify', event: 'license_expired', key: `${state.licenseId}:license_expired:${state.expiresAt}`, data: { expires_at: state.expiresAt } },
      );
      break;
    case 'payment_grace_end':
      next.status = 'SUSPENDED';
      next.statusReason = SUSPENDED_FOR_NON_PAYMENT;
      effects.push(
        { kind: 'persist', patch: { status: 'SUSPENDED', statusReason: next.statusReason }, action: 'license.suspended', actor: SYSTEM, reason: next.statusReason },
        { kind: 'notify', event: 'license_suspended', key: `${state.licenseId}:license_suspended:${state.pastDueSince}`, data: { past_due_since: state.pastDueSince } },
      );
      break;
    case 'plan_change': {
      const change = state.scheduledPlanChange!;
      Object.assign(next, { plan: change.planCode, planId: change.planId, policy: change.policy, scheduledPlanChange: null });
      effects.push({ kind: 'persist', patch: { planId: change.planId, ...(change.seatLimit !== undefined ? { seatLimit: change.seatLimit } : {}) }, action: 'license.plan_changed', actor: change.actor, ...(change.by ? { by: change.by } : {}), reason: `${change.reason} (scheduled, effective ${nowIso.slice(0, 10)})` });
      break;
    }
  }
  return { state: next, effects };
}
