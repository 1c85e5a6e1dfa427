import type { LicenseState, PlanPolicyUpdate } from '../license-state.ts';
import { unchanged, type Outcome } from './effects.ts';
import { onAdminCommand } from './on-admin-command.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A plan edit's lifecycle policy reaches a running license. Ignored when the license has moved
 * to another plan since, when it is revoked, or when a later edit of the plan already arrived
 * (rollouts of two quick edits may overlap). The new policy takes effect from now: the deadlines
 * are recomputed from it, reminders already sent stay sent (same keys), and a reminder the new
 * offsets place in the past is not sent late. A moved fixed term end moves the expiry of a license
 * whose term runs (active, past due or suspended) and ended on the old one
 * (audited as `license.expiry_set`, by the plan's editor).
 */
export function onPlanPolicy(state: LicenseState, update: PlanPolicyUpdate, now: number): Outcome {
  if (state.status === 'REVOKED') return unchanged(state, 'revoked');
  if (state.planId && state.planId !== update.planId) return unchanged(state, `the license moved to another plan (${state.plan})`);
  const source = state.policySource;
  if (source && source.planId === update.planId && update.version < source.version) return unchanged(state, `a later edit of the plan (${source.version}) already applies`);
  const nowIso = new Date(now).toISOString();
  const policyChanged = !same(state.policy, update.policy);
  const next: LicenseState = {
    ...state,
    policy: update.policy,
    policySource: { planId: update.planId, version: update.version },
    ...(policyChanged ? { periodStartedAt: state.periodStartedAt && state.periodStartedAt > nowIso ? state.periodStartedAt : nowIso } : {}),
  };
  const moveExpiry = update.expiresAt !== undefined && update.expiresAt !== state.expiresAt && ['ACTIVE', 'PAST_DUE', 'SUSPENDED'].includes(state.status);
  if (moveExpiry) {
    const moved = onAdminCommand(next, { op: 'set_expiry', at: update.expiresAt!, actor: update.actor, reason: update.reason }, now);
    // set_expiry starts a new reminder period: those of the new end are all ahead.
    return moved;
  }
  return policyChanged ? { state: next, effects: [] } : unchanged(next, 'the policy is unchanged');
}
