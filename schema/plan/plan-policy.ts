/**
 * The policy a license inherits from its plan. Every field can be overridden per license
 * (`license.overrides`); the effective policy is the plan's, with the overrides on top.
 */
export const SEAT_MODELS = ['DEVICE', 'NAMED_USER', 'CONCURRENT'] as const;
export type SeatModel = (typeof SEAT_MODELS)[number];

export const TERM_KINDS = ['PERPETUAL', 'DURATION', 'FIXED_END'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

export type Features = Record<string, boolean | number | string>;

export interface LicensePolicy {
  features: Features;
  /** null = unlimited. */
  seatLimit: number | null;
  seatModel: SeatModel;
  /** Up to this many activations beyond the limit are allowed… */
  overageSeats: number;
  /** …for this many days after the first one; then the limit is strict. */
  overageDays: number;
  termKind: TermKind;
  termDays: number | null;
  termEndsAt: string | null;
  trialDays: number | null;
  expiryGraceDays: number;
  paymentGraceDays: number;
  reminderOffsetsDays: number[];
  cacheTtlSeconds: number;
  trialCacheTtlSeconds: number;
  /** `example.com`, or `*.example.com` for any subdomain (and the apex). */
  allowedDomains: string[];
  allowedCidrs: string[];
  /** Self-service deactivations allowed per period; null = no cap. */
  deactivationLimit: number | null;
  deactivationPeriodDays: number;
  /** Concurrent model: a lease lasts this long unless renewed by a heartbeat. */
  leaseSeconds: number;
  /** License files (offline tokens for air-gapped machines) a customer may download from the portal per 30 days; 0: none. */
  licenseFileLimit: number;
}

export type PolicyOverrides = Partial<LicensePolicy>;

export const POLICY_DEFAULTS: LicensePolicy = {
  features: {},
  seatLimit: null,
  seatModel: 'DEVICE',
  overageSeats: 0,
  overageDays: 0,
  termKind: 'PERPETUAL',
  termDays: null,
  termEndsAt: null,
  trialDays: null,
  expiryGraceDays: 0,
  paymentGraceDays: 7,
  reminderOffsetsDays: [90, 30, 14, 7, 0],
  cacheTtlSeconds: 24 * 60 * 60,
  trialCacheTtlSeconds: 60 * 60,
  allowedDomains: [],
  allowedCidrs: [],
  deactivationLimit: null,
  deactivationPeriodDays: 30,
  leaseSeconds: 15 * 60,
  licenseFileLimit: 5,
};

export function effectivePolicy(plan: LicensePolicy, overrides: PolicyOverrides | null | undefined): LicensePolicy {
  const merged = { ...plan };
  for (const [field, value] of Object.entries(overrides ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  return merged;
}

const DAY_MS = 86_400_000;

/**
 * When a license whose term starts at `start` ends under this policy: never (PERPETUAL), after
 * `termDays` (DURATION), or on `termEndsAt` (FIXED_END).
 */
export function termEnd(policy: Pick<LicensePolicy, 'termKind' | 'termDays' | 'termEndsAt'>, start: Date): Date | null {
  if (policy.termKind === 'DURATION') return new Date(start.getTime() + policy.termDays! * DAY_MS);
  if (policy.termKind === 'FIXED_END') return new Date(policy.termEndsAt!);
  return null;
}
