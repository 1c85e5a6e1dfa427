import type { LicenseState } from '../../workflows/license-state.ts';
import { at, DAY, licenseState, T0 } from '../support/license-state.ts';
import { upcomingDeadlines } from '../../workflows/lifecycle/deadlines.ts';
import { onAdminCommand, rejectAdminOperation } from '../../workflows/lifecycle/on-admin-command.ts';
import { onBillingFact } from '../../workflows/lifecycle/on-billing-fact.ts';
import { onDeadline } from '../../workflows/lifecycle/on-deadline.ts';

const license = licenseState;

describe('lifecycle decisions (pure, no server)', () => {
  it('lists reminders, expiry and grace end in order, skipping reminders due before the period began', () => {
    const late = license({ periodStartedAt: at(T0 + 300 * DAY) });
    expect(upcomingDeadlines(late).map((d) => [d.kind, d.offsetDays ?? null, at(d.at).slice(0, 10)])).toEqual([
      ['renewal_reminder', 30, '2026-12-02'],
      ['renewal_reminder', 14, '2026-12-18'],
      ['renewal_reminder', 7, '2026-12-25'],
      ['renewal_reminder', 0, '2027-01-01'],
      ['expiry', null, '2027-01-01'],
      ['expiry_grace_end', null, '2027-01-04'],
    ]);
  });

  it('fires each reminder once per period, keyed by license, period end and offset', () => {
    const state = license();
    const first = upcomingDeadlines(state)[0]!;
    const { state: after, effects } = onDeadline(state, first, first.at);
    expect(effects).toEqual([{ kind: 'notify', event: 'renewal_reminder', key: `lic-1:renewal_reminder:${at(T0 + 365 * DAY)}:90`, data: { days_before: 90, expires_at: state.expiresAt } }]);
    expect(upcomingDeadlines(after).map((d) => d.offsetDays)).not.toContain(90);
  });

  it('ignores a duplicate event and a payment failure older than the payment already applied', () => {
    const paid = onBillingFact(license(), { type: 'payment_succeeded', eventId: 'evt_1', occurredAt: at(T0 + 10 * DAY), periodEnd: at(T0 + 730 * DAY) }, T0 + 10 * DAY);
    expect(paid.renewed).toBe(true);
    expect(paid.state.expiresAt).toBe(at(T0 + 730 * DAY));
    expect(onBillingFact(paid.state, { type: 'payment_succeeded', eventId: 'evt_1', occurredAt: at(T0 + 10 * DAY), periodEnd: at(T0 + 730 * DAY) }, T0).ignored).toMatch(/already applied/);
    const stale = onBillingFact(paid.state, { type: 'payment_failed', eventId: 'evt_0', occurredAt: at(T0 + 5 * DAY) }, T0 + 11 * DAY);
    expect(stale.ignored).toMatch(/older/);
    expect(stale.state.status).toBe('ACTIVE');
  });

  it('moves a failed payment to PAST_DUE with a suspension deadline at the end of the payment grace', () => {
    const failed = onBillingFact(license(), { type: 'payment_failed', eventId: 'evt_f', occurredAt: at(T0 + DAY) }, T0 + DAY);
    expect(failed.state).toMatchObject({ status: 'PAST_DUE', pastDueSince: at(T0 + DAY) });
    expect(upcomingDeadlines(failed.state).find((d) => d.kind === 'payment_grace_end')?.at).toBe(T0 + 8 * DAY);
    const suspended = onDeadline(failed.state, upcomingDeadlines(failed.state).find((d) => d.kind === 'payment_grace_end')!, T0 + 8 * DAY);
    expect(suspended.state.status).toBe('SUSPENDED');
    expect(suspended.effects.map((e) => (e.kind === 'persist' ? e.action : e.event))).toEqual(['license.suspended', 'license_suspended']);
  });

  it('never lets a billing fact undo a revocation', () => {
    const revoked = license({ status: 'REVOKED' });
    expect(onBillingFact(revoked, { type: 'payment_succeeded', eventId: 'evt_late', occurredAt: at(T0 + DAY), periodEnd: at(T0 + 900 * DAY) }, T0).ignored).toBe('the license is revoked');
  });

  it('schedules a downgrade for the period end and applies it when that deadline fires, naming who asked', () => {
    const by = { actor: { type: 'staff' as const, id: 'staff-1', label: 'cs@example.com' }, origin: { ip: '198.51.100.4', userAgent: 'Console/1.0' } };
    const command = { op: 'change_plan' as const, actor: 'admin:cs', by, reason: 'downgrade', planId: 'plan-basic', planCode: 'basic', policy: { expiryGraceDays: 0, paymentGraceDays: 7, reminderOffsetsDays: [30] }, effective: 'period_end' as const };
    const scheduled = onAdminCommand(license(), command, T0);
    expect(scheduled.state.scheduledPlanChange).toMatchObject({ planCode: 'basic', effectiveAt: at(T0 + 365 * DAY) });
    const due = upcomingDeadlines(scheduled.state).find((d) => d.kind === 'plan_change')!;
    expect(scheduled.effects).toContainEqual(expect.objectContaining({ kind: 'persist', action: 'license.plan_change_scheduled', actor: 'admin:cs', by }));
    const applied = onDeadline(scheduled.state, due, due.at);
    expect(applied.state).toMatchObject({ plan: 'basic', planId: 'plan-basic', scheduledPlanChange: null });
    expect(applied.effects).toContainEqual(expect.objectContaining({ kind: 'persist', action: 'license.plan_changed', by }));
  });

  it('explains why an operation does not apply', () => {
    const cmd = { actor: 'admin:cs', reason: 'because' };
    expect(rejectAdminOperation(license(), { ...cmd, op: 'reinstate' }, T0)?.type).toBe('NOT_SUSPENDED');
    expect(rejectAdminOperation(license(), { ...cmd, op: 'extend_trial', until: at(T0 + DAY) }, T0)?.type).toBe('NOT_TRIALING');
    expect(rejectAdminOperation(license(), { ...cmd, op: 'renew', until: at(T0 + DAY) }, T0)?.type).toBe('INVALID_DATE');
    expect(rejectAdminOperation(license(), { actor: 'admin:cs', reason: ' ', op: 'suspend' }, T0)?.type).toBe('REASON_REQUIRED');
    expect(rejectAdminOperation(license({ status: 'REVOKED' }), { ...cmd, op: 'renew', until: at(T0 + 999 * DAY) }, T0)?.type).toBe('LICENSE_ALREADY_REVOKED');
    expect(rejectAdminOperation(license(), { ...cmd, op: 'renew', until: at(T0 + 999 * DAY) }, T0)).toBeNull();
  });

  it('renews from the previous expiry on the same license and starts a new reminder period', () => {
    const renewed = onAdminCommand(license(), { op: 'renew', actor: 'admin:cs', reason: 'PO 123', until: at(T0 + 730 * DAY) }, T0 + 300 * DAY);
    expect(renewed.renewed).toBe(true);
    expect(renewed.state).toMatchObject({ status: 'ACTIVE', expiresAt: at(T0 + 730 * DAY), periodStartedAt: at(T0 + 300 * DAY), remindersSent: [] });
  });

  it('treats Stripe’s trial notice as the 3-day trial reminder, so the customer hears it once', () => {
    const trialEnd = T0 + 14 * DAY;
    const trial = license({ status: 'TRIALING', expiresAt: null, trialEndsAt: at(trialEnd) });
    const notice = { type: 'trial_will_end' as const, eventId: 'evt_twe', occurredAt: at(trialEnd - 3 * DAY), trialEndsAt: at(trialEnd) };
    const first = onBillingFact(trial, notice, trialEnd - 3 * DAY);
    const reminder = first.effects.find((e) => e.kind === 'notify');
    expect(reminder).toMatchObject({ event: 'trial_ending', key: `lic-1:trial_reminder:${at(trialEnd)}:3`, data: { days_before: 3 } });
    // The workflow's own 3-day reminder is then already sent; the 1-day one still comes.
    expect(upcomingDeadlines(first.state).filter((d) => d.kind === 'trial_reminder').map((d) => d.offsetDays)).toEqual([1]);
    // The other way round: the workflow reminded first, the notice adds nothing.
    const reminded = onDeadline(trial, upcomingDeadlines(trial)[0]!, trialEnd - 3 * DAY).state;
    expect(onBillingFact(reminded, { ...notice, eventId: 'evt_twe_2' }, trialEnd - 3 * DAY).effects.filter((e) => e.kind === 'notify')).toEqual([]);
  });

  it('takes a license\'s edited terms: the new lifecycle policy moves its deadlines, the overrides and metadata are written as one audited change', () => {
    const policy = { expiryGraceDays: 10, paymentGraceDays: 7, reminderOffsetsDays: [60, 1] };
    const command = { op: 'update_terms', actor: 'staff:ada@example.com', reason: 'Enterprise deal', policy, overrides: { seatLimit: 25, reminderOffsetsDays: [60, 1] }, metadata: { renewal_value: 12000 } } as const;
    expect(rejectAdminOperation(license(), command, T0)).toBeNull();
    expect(rejectAdminOperation(license(), { ...command, reason: ' ' }, T0)?.type).toBe('REASON_REQUIRED');
    expect(rejectAdminOperation(license({ status: 'REVOKED' }), command, T0)?.type).toBe('LICENSE_ALREADY_REVOKED');
    const edited = onAdminCommand(license(), command, T0);
    expect(edited.state.policy).toEqual(policy);
    expect(edited.effects).toEqual([
      { kind: 'persist', patch: { overrides: command.overrides, metadata: command.metadata }, action: 'license.updated', actor: 'staff:ada@example.com', reason: 'Enterprise deal' },
    ]);
    expect(upcomingDeadlines(edited.state).map((d) => [d.kind, d.offsetDays ?? null, at(d.at).slice(0, 10)])).toEqual([
      ['renewal_reminder', 60, '2026-11-02'],
      ['renewal_reminder', 1, '2026-12-31'],
      ['expiry', null, '2027-01-01'],
      ['expiry_grace_end', null, '2027-01-11'],
    ]);
  });
});
