import { evaluateLicense } from '../../domain/licenses/evaluate-license.ts';
import type { LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';
import { VALIDATION_CODES } from '../../domain/licenses/validation-codes.ts';
import { POLICY_DEFAULTS, type LicensePolicy } from '../../schema/plan/plan-policy.ts';

const now = new Date('2026-11-22T12:00:00Z');
const later = new Date('2027-11-22T00:00:00Z');
const earlier = new Date('2026-11-01T00:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

function license(overrides: Partial<LicenseSnapshot> = {}, policy: Partial<LicensePolicy> = {}): LicenseSnapshot {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'ACTIVE',
    statusReason: null,
    planId: '00000000-0000-4000-8000-000000000002',
    planCode: 'pro',
    planName: 'Pro',
    tier: 'pro',
    productCode: 'acme',
    customerEmail: 'ada@example.com',
    expiresAt: later,
    trialEndsAt: null,
    overageStartedAt: null,
    version: 1,
    policy: { ...POLICY_DEFAULTS, features: { export: true, projects: 10, beta: false }, seatLimit: 10, ...policy },
    ...overrides,
  };
}

describe('evaluating a license for validation', () => {
  it.each([
    ['unknown key', 'NOT_FOUND', false, null, {}],
    ['active, before expiry', 'VALID', true, license(), {}],
    ['perpetual', 'VALID', true, license({ expiresAt: null }), {}],
    ['revoked', 'REVOKED', false, license({ status: 'REVOKED' }), {}],
    ['suspended', 'SUSPENDED', false, license({ status: 'SUSPENDED' }), {}],
    ['expired by the workflow', 'EXPIRED', false, license({ status: 'EXPIRED', expiresAt: earlier }), {}],
    ['active past its end date before the timer fired', 'EXPIRED', false, license({ expiresAt: earlier }), {}],
    ['past its end date, within the post-expiry grace', 'IN_GRACE', true, license({ expiresAt: days(-3) }, { expiryGraceDays: 7 }), {}],
    ['past its end date and its grace', 'EXPIRED', false, license({ expiresAt: days(-8) }, { expiryGraceDays: 7 }), {}],
    ['past due: still valid, with a warning', 'PAST_DUE', true, license({ status: 'PAST_DUE' }), {}],
    ['trialing', 'VALID', true, license({ status: 'TRIALING', expiresAt: null, trialEndsAt: later }), {}],
    ['trial past its end', 'TRIAL_EXPIRED', false, license({ status: 'TRIALING', expiresAt: null, trialEndsAt: earlier }), {}],
    ['trial expired by the workflow', 'TRIAL_EXPIRED', false, license({ status: 'EXPIRED', expiresAt: null, trialEndsAt: earlier }), {}],
    ['fingerprint without an activation', 'NOT_ACTIVATED', false, license(), { activation: null }],
    ['fingerprint with an activation', 'VALID', true, license(), { activation: { leaseExpiresAt: null } }],
    ['concurrent lease lapsed', 'HEARTBEAT_DEAD', false, license({}, { seatModel: 'CONCURRENT' }), { activation: { leaseExpiresAt: days(-0.01) } }],
    ['concurrent lease alive', 'VALID', true, license({}, { seatModel: 'CONCURRENT' }), { activation: { leaseExpiresAt: days(0.01) } }],
    ['more seats in use than allowed', 'SEAT_LIMIT_EXCEEDED', false, license(), { seatsInUse: 11 }],
    ['over the limit, within the overage grace', 'VALID', true, license({ overageStartedAt: days(-1) }, { overageSeats: 2, overageDays: 7 }), { seatsInUse: 12 }],
    ['over the limit, after the overage grace', 'SEAT_LIMIT_EXCEEDED', false, license({ overageStartedAt: days(-8) }, { overageSeats: 2, overageDays: 7 }), { seatsInUse: 12 }],
    ['over the limit beyond the overage seats', 'SEAT_LIMIT_EXCEEDED', false, license({ overageStartedAt: days(-1) }, { overageSeats: 2, overageDays: 7 }), { seatsInUse: 13 }],
    ['requested features present', 'VALID', true, license(), { features: ['export', 'projects'] }],
    ['requested feature absent or off', 'FEATURES_MISSING', false, license(), { features: ['export', 'sso', 'beta'] }],
    ['domain-locked, right domain', 'VALID', true, license({}, { allowedDomains: ['example.com'] }), { domain: 'EXAMPLE.com' }],
    ['domain-locked, wildcard subdomain', 'VALID', true, license({}, { allowedDomains: ['*.example.com'] }), { domain: 'shop.eu.example.com' }],
    ['domain-locked, other domain', 'DOMAIN_MISMATCH', false, license({}, { allowedDomains: ['example.com'] }), { domain: 'evil-example.com' }],
    ['domain-locked, no domain sent', 'DOMAIN_MISMATCH', false, license({}, { allowedDomains: ['example.com'] }), {}],
    ['IP-locked, inside the range', 'VALID', true, license({}, { allowedCidrs: ['10.0.0.0/8'] }), { ip: '10.1.2.3' }],
    ['IP-locked, outside the range', 'IP_NOT_ALLOWED', false, license({}, { allowedCidrs: ['10.0.0.0/8'] }), { ip: '192.168.1.1' }],
  ] as const)('%s → %s', (_name, code, valid, subject, context) => {
    const verdict = evaluateLicense(subject, { now, ...context });
    expect(verdict.code).toBe(code);
    expect(verdict.valid).toBe(valid);
    expect(VALIDATION_CODES[verdict.code].valid).toBe(valid);
    expect(verdict.detail.length).toBeGreaterThan(10);
  });

  it('tells the person what to do, with the facts', () => {
    expect(evaluateLicense(license({ expiresAt: earlier }), { now }).detail).toContain('2026-11-01');
    expect(evaluateLicense(license(), { now, seatsInUse: 11 }).detail).toBe('seat limit exceeded: 11 of 10 activations in use. Deactivate a device to continue.');
    expect(evaluateLicense(license({}, { allowedDomains: ['example.com'] }), { now, domain: 'x.org' }).detail).toBe('This license is restricted to the domain example.com.');
    expect(evaluateLicense(license(), { now, features: ['sso'] }).detail).toContain('sso');
  });
});
