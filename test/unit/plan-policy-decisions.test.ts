import type { LicenseState, PlanPolicyUpdate } from '../../workflows/license-state.ts';
import { upcomingDeadlines } from '../../workflows/lifecycle/deadlines.ts';
import { onPlanPolicy } from '../../workflows/lifecycle/on-plan-policy.ts';
import { at, DAY, licenseState, T0 } from '../support/license-state.ts';

const license = (overrides: Partial<LicenseState> = {}) => licenseState({ policy: { expiryGraceDays: 0, paymentGraceDays: 7, reminderOffsetsDays: [90, 30, 14, 7, 0] }, ...overrides });

const update = (overrides: Partial<PlanPolicyUpdate> = {}): PlanPolicyUpdate => ({
  planId: 'plan-pro',
  version: '2026-06-01T00:00:00.000Z',
  policy: { expiryGraceDays: 5, paymentGraceDays: 7, reminderOffsetsDays: [60, 30, 3] },
  actor: 'staff:ada@example.com',
  reason: 'plan pro edited',
  ...overrides,
});

describe("a plan edit's policy in a license workflow (pure, no server)", () => {
  it('takes the new policy from now: deadlines follow it, and reminders it places in the past are not sent late', () => {
    const now = T0 + 320 * DAY; // 45 days before the end: the 60-day reminder is already past
    const { state, effects, ignored } = onPlanPolicy(license(), update(), now);
    expect([effects, ignored]).toEqual([[], undefined]);
    expect(state).toMatchObject({ policy: update().policy, policySource: { planId: 'plan-pro', version: update().version }, periodStartedAt: at(now) });
    expect(upcomingDeadlines(state).map((d) => [d.kind, d.offsetDays ?? null])).toEqual([
      ['renewal_reminder', 30],
      ['renewal_reminder', 3],
      ['expiry', null],
      ['expiry_grace_end', null],
    ]);
  });

  it('ignores an older edit of the same plan, an edit of a plan the license left, and a revoked license', () => {
    const applied = onPlanPolicy(license(), update({ version: '2026-06-02T00:00:00.000Z' }), T0).state;
    const older = onPlanPolicy(applied, update({ version: '2026-06-01T00:00:00.000Z', policy: { expiryGraceDays: 0, paymentGraceDays: 1, reminderOffsetsDays: [1] } }), T0);
    expect(older.ignored).toMatch(/later edit/);
    expect(older.state.policy?.paymentGraceDays).toBe(7);
    expect(onPlanPolicy(license({ planId: 'plan-team' }), update(), T0).ignored).toMatch(/another plan/);
    expect(onPlanPolicy(license({ status: 'REVOKED' }), update(), T0).ignored).toBe('revoked');
    // The same edit twice (a retried page): the second changes nothing.
    expect(onPlanPolicy(applied, update({ version: '2026-06-02T00:00:00.000Z' }), T0).ignored).toBe('the policy is unchanged');
  });

  it('moves the expiry of an active license to the new fixed term end, as a set expiry by the editor', () => {
    const to = at(T0 + 400 * DAY);
    const outcome = onPlanPolicy(license(), update({ expiresAt: to, reason: 'plan pro: its term end moved' }), T0 + 10 * DAY);
    expect(outcome.state.expiresAt).toBe(to);
    expect(outcome.effects).toEqual([{ kind: 'persist', patch: { expiresAt: to }, action: 'license.expiry_set', actor: 'staff:ada@example.com', reason: 'plan pro: its term end moved' }]);
    // A suspended license moves too (it ends on the new date once reinstated); an expired one stays expired.
    expect(onPlanPolicy(license({ status: 'SUSPENDED' }), update({ expiresAt: to }), T0).state.expiresAt).toBe(to);
    expect(onPlanPolicy(license({ status: 'EXPIRED' }), update({ expiresAt: to }), T0).effects).toEqual([]);
  });
});
