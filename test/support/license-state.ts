import type { LicenseState } from '../../workflows/license-state.ts';

export const DAY = 86_400_000;
/** The start of the pure lifecycle scenarios. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const at = (ms: number) => new Date(ms).toISOString();

/** A license workflow's state for the pure decision tests: an annual pro license from T0. */
export function licenseState(overrides: Partial<LicenseState> = {}): LicenseState {
  return {
    licenseId: 'lic-1', status: 'ACTIVE', plan: 'pro', planId: 'plan-pro', customerEmail: 'ada@example.com',
    expiresAt: at(T0 + 365 * DAY), trialEndsAt: null, version: 1, statusReason: null,
    policy: { expiryGraceDays: 3, paymentGraceDays: 7, reminderOffsetsDays: [90, 30, 14, 7, 0] },
    periodStartedAt: at(T0), remindersSent: [], appliedEventIds: [],
    ...overrides,
  };
}
