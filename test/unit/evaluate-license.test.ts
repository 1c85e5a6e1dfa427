import { evaluateLicense } from '../../api/validation/evaluate-license.ts';
import { VALIDATION_CODES } from '../../api/validation/validation-codes.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';

const now = new Date('2026-11-22T12:00:00Z');
const later = new Date('2027-11-22T00:00:00Z');
const earlier = new Date('2026-11-01T00:00:00Z');

function license(overrides: Partial<LicenseEntity>): LicenseEntity {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'ACTIVE',
    plan: 'pro',
    features: {},
    seatLimit: null,
    expiresAt: later,
    trialEndsAt: null,
    ...overrides,
  } as LicenseEntity;
}

describe('evaluating a license for validation', () => {
  it.each([
    ['unknown key', 'NOT_FOUND', false, null],
    ['active, before expiry', 'VALID', true, license({})],
    ['perpetual', 'VALID', true, license({ expiresAt: null })],
    ['revoked', 'REVOKED', false, license({ status: 'REVOKED' })],
    ['suspended', 'SUSPENDED', false, license({ status: 'SUSPENDED' })],
    ['expired by the workflow', 'EXPIRED', false, license({ status: 'EXPIRED', expiresAt: earlier })],
    ['active past its end date before the timer fired', 'EXPIRED', false, license({ expiresAt: earlier })],
    ['past due: still valid, with a warning', 'PAST_DUE', true, license({ status: 'PAST_DUE' })],
    ['trialing', 'VALID', true, license({ status: 'TRIALING', expiresAt: null, trialEndsAt: later })],
    ['trial past its end', 'TRIAL_EXPIRED', false, license({ status: 'TRIALING', expiresAt: null, trialEndsAt: earlier })],
    ['trial expired by the workflow', 'TRIAL_EXPIRED', false, license({ status: 'EXPIRED', expiresAt: null, trialEndsAt: earlier })],
  ] as const)('%s → %s', (_name, code, valid, subject) => {
    const verdict = evaluateLicense(subject, now);
    expect(verdict.code).toBe(code);
    expect(verdict.valid).toBe(valid);
    expect(VALIDATION_CODES[verdict.code].valid).toBe(valid);
    expect(verdict.detail.length).toBeGreaterThan(10);
  });

  it('tells the person when the license expired', () => {
    expect(evaluateLicense(license({ expiresAt: earlier }), now).detail).toContain('2026-11-01');
  });
});
