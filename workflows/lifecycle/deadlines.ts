import { DEFAULT_LIFECYCLE_POLICY, TRIAL_REMINDER_OFFSETS_DAYS, type LicenseState } from '../license-state.ts';

export const DAY_MS = 86_400_000;

export type DeadlineKind = 'trial_reminder' | 'trial_end' | 'renewal_reminder' | 'expiry' | 'expiry_grace_end' | 'payment_grace_end' | 'plan_change';

export interface Deadline {
  kind: DeadlineKind;
  at: number;
  /** Days before the date the reminder announces. */
  offsetDays?: number;
  /** For reminders: the idempotency key (license, period end, offset). */
  key?: string;
  summary: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

export function reminderKey(state: LicenseState, kind: 'renewal_reminder' | 'trial_reminder', periodEnd: number, offsetDays: number): string {
  return `${state.licenseId}:${kind}:${iso(periodEnd)}:${offsetDays}`;
}

/**
 * Every deadline still ahead for this license, soonest first: a pure function of its state,
 * recomputed after every change (the workflow's "updatable timer").
 */
export function upcomingDeadlines(state: LicenseState): Deadline[] {
  const policy = state.policy ?? DEFAULT_LIFECYCLE_POLICY;
  const sent = new Set(state.remindersSent ?? []);
  const periodStart = state.periodStartedAt ? Date.parse(state.periodStartedAt) : 0;
  const deadlines: Deadline[] = [];

  if (state.status === 'TRIALING' && state.trialEndsAt) {
    const end = Date.parse(state.trialEndsAt);
    for (const offsetDays of TRIAL_REMINDER_OFFSETS_DAYS) {
      const at = end - offsetDays * DAY_MS;
      const key = reminderKey(state, 'trial_reminder', end, offsetDays);
      if (at >= periodStart && !sent.has(key)) deadlines.push({ kind: 'trial_reminder', at, offsetDays, key, summary: `Trial ends in ${offsetDays} day(s) (${day(end)}): remind` });
    }
    deadlines.push({ kind: 'trial_end', at: end, summary: `Trial ends ${day(end)}` });
  }

  if ((state.status === 'ACTIVE' || state.status === 'PAST_DUE') && state.expiresAt) {
    const end = Date.parse(state.expiresAt);
    if (!state.cancelAtPeriodEnd) {
      for (const offsetDays of policy.reminderOffsetsDays) {
        const at = end - offsetDays * DAY_MS;
        const key = reminderKey(state, 'renewal_reminder', end, offsetDays);
        if (at >= periodStart && !sent.has(key)) deadlines.push({ kind: 'renewal_reminder', at, offsetDays, key, summary: `Renewal reminder: ${offsetDays} day(s) before ${day(end)}` });
      }
    }
    const graceEnd = end + policy.expiryGraceDays * DAY_MS;
    if (policy.expiryGraceDays > 0 && !sent.has(`${state.licenseId}:expiry:${iso(end)}`)) {
      deadlines.push({ kind: 'expiry', at: end, key: `${state.licenseId}:expiry:${iso(end)}`, summary: `Term ends ${day(end)}; grace until ${day(graceEnd)}` });
    }
    deadlines.push({ kind: 'expiry_grace_end', at: graceEnd, summary: policy.expiryGraceDays > 0 ? `Grace ends ${day(graceEnd)}: expire` : `Expires ${day(end)}` });
  }

  if (state.status === 'PAST_DUE' && state.pastDueSince) {
    const at = Date.parse(state.pastDueSince) + policy.paymentGraceDays * DAY_MS;
    deadlines.push({ kind: 'payment_grace_end', at, summary: `Payment grace ends ${day(at)}: suspend` });
  }

  if (state.scheduledPlanChange && state.status !== 'REVOKED') {
    const at = Date.parse(state.scheduledPlanChange.effectiveAt);
    deadlines.push({ kind: 'plan_change', at, summary: `Plan changes to ${state.scheduledPlanChange.planCode} on ${day(at)}` });
  }

  return deadlines.sort((a, b) => a.at - b.at || order(a.kind) - order(b.kind));
}

// Same instant: reminders before the expiry they announce, plan changes before expiry.
const ORDER: DeadlineKind[] = ['trial_reminder', 'renewal_reminder', 'plan_change', 'payment_grace_end', 'expiry', 'trial_end', 'expiry_grace_end'];
const order = (kind: DeadlineKind) => ORDER.indexOf(kind);
