import type { AbuseAction } from './abuse-alert.entity.ts';

/**
 * What the abuse checks look for on a plan's licenses, and what happens when they find it.
 * Defaults apply wherever a plan sets nothing (plan_abuse_policy holds only what differs).
 */
export interface AbusePolicy {
  /** What a new alert does: flag only, end every activation (the machines must activate again), or suspend the license. */
  action: AbuseAction;
  /** VELOCITY: more validations than this in one hour… */
  velocityValidationsPerHour: number;
  /** …from at least this many distinct addresses. */
  velocityDistinctIps: number;
  /** GEO_SPREAD: more distinct countries than this for one key within 24 hours. */
  maxCountriesPerDay: number;
  /** REFERRER_MISMATCH: compare the Origin/Referer host with the domain claimed and the allowed domains. */
  referrerCheck: boolean;
  /** TRIAL_CYCLING: more trials than this sharing a fingerprint, address, normalized e-mail or card within 30 days. */
  trialsPerIdentity: number;
  /** KEY_SHARING: more distinct machines than this on one key within 7 days; null: three times the seat limit (unlimited seats: not checked). */
  fingerprintsPerWeek: number | null;
}

export type AbusePolicyOverrides = Partial<AbusePolicy>;

export const ABUSE_POLICY_DEFAULTS: AbusePolicy = {
  action: 'FLAG',
  velocityValidationsPerHour: 1000,
  velocityDistinctIps: 100,
  maxCountriesPerDay: 20,
  referrerCheck: true,
  trialsPerIdentity: 2,
  fingerprintsPerWeek: null,
};
