import { domainAllowed, ipAllowed } from '../../lib/network-match.ts';
import type { LicenseSnapshot } from './license-snapshot.ts';
import { VALIDATION_CODES, type ValidationCode } from './validation-codes.ts';

export interface Verdict {
  valid: boolean;
  code: ValidationCode;
  detail: string;
}

/** What the client asked about, and what the server knows about its seats. */
export interface ValidationContext {
  now: Date;
  domain?: string;
  ip?: string;
  features?: readonly string[];
  /** When a fingerprint was given: its live activation, or null when it has none. */
  activation?: { leaseExpiresAt: Date | null } | null;
  seatsInUse?: number;
}

const DAY_MS = 86_400_000;
const day = (date: Date) => date.toISOString().slice(0, 10);
const verdict = (code: ValidationCode, detail: string): Verdict => ({ valid: VALIDATION_CODES[code].valid, code, detail });

/** Status and dates only: shared by validation and by activation. */
export function evaluateStanding(license: LicenseSnapshot, now: Date): Verdict | null {
  switch (license.status) {
    case 'REVOKED':
      return verdict('REVOKED', 'This license has been revoked and can no longer be used.');
    case 'SUSPENDED':
      return verdict('SUSPENDED', 'This license is suspended. Update the payment method or contact support to reinstate it.');
    case 'EXPIRED':
      return license.trialEndsAt && !license.expiresAt
        ? verdict('TRIAL_EXPIRED', `The trial ended on ${day(license.trialEndsAt)}. Purchase a license to keep using the product.`)
        : verdict('EXPIRED', `This license expired${license.expiresAt ? ` on ${day(license.expiresAt)}` : ''}. Renew it to keep using the product.`);
    case 'TRIALING':
      if (license.trialEndsAt && license.trialEndsAt <= now) {
        return verdict('TRIAL_EXPIRED', `The trial ended on ${day(license.trialEndsAt)}. Purchase a license to keep using the product.`);
      }
      break;
    default:
      break;
  }
  if (license.expiresAt && license.expiresAt <= now) {
    const graceEnds = new Date(license.expiresAt.getTime() + license.policy.expiryGraceDays * DAY_MS);
    if (graceEnds <= now) return verdict('EXPIRED', `This license expired on ${day(license.expiresAt)}. Renew it to keep using the product.`);
  }
  return null;
}

export function evaluateLocks(license: LicenseSnapshot, request: { domain?: string; ip?: string }): Verdict | null {
  const { allowedDomains, allowedCidrs } = license.policy;
  if (allowedDomains.length) {
    const list = allowedDomains.join(', ');
    if (!request.domain) return verdict('DOMAIN_MISMATCH', `This license is restricted to the domain ${list}; send the domain it runs on.`);
    if (!domainAllowed(request.domain, allowedDomains)) return verdict('DOMAIN_MISMATCH', `This license is restricted to the domain ${list}.`);
  }
  if (allowedCidrs.length && !(request.ip && ipAllowed(request.ip, allowedCidrs))) {
    return verdict('IP_NOT_ALLOWED', `This license may only be used from ${allowedCidrs.join(', ')}.`);
  }
  return null;
}

/** True while seats beyond the limit are still tolerated (overage grace). */
export function overageTolerated(license: LicenseSnapshot, seatsInUse: number, now: Date): boolean {
  const { seatLimit, overageSeats, overageDays } = license.policy;
  if (seatLimit === null || seatsInUse <= seatLimit) return true;
  if (seatsInUse > seatLimit + overageSeats) return false;
  const started = license.overageStartedAt ?? now;
  return now.getTime() < started.getTime() + overageDays * DAY_MS;
}

/**
 * Decides a validation: a pure function of the license snapshot and what the client sent,
 * so it is cheap on the hot path and exhaustively testable. Dates are judged against `now`
 * even before the workflow's timer has moved the status.
 */
export function evaluateLicense(license: LicenseSnapshot | null, context: ValidationContext): Verdict {
  if (!license) return verdict('NOT_FOUND', 'No license matches this key. Check it for typos, or contact the seller.');
  const { now } = context;
  const standing = evaluateStanding(license, now);
  if (standing) return standing;
  const locked = evaluateLocks(license, context);
  if (locked) return locked;

  if (context.activation === null) {
    return verdict('NOT_ACTIVATED', 'This device is not activated for this license. Activate it first.');
  }
  if (license.policy.seatModel === 'CONCURRENT' && context.activation?.leaseExpiresAt && context.activation.leaseExpiresAt <= now) {
    return verdict('HEARTBEAT_DEAD', 'This session missed its heartbeat and lost its seat. Activate again to take a free seat.');
  }
  const { seatLimit } = license.policy;
  if (seatLimit !== null && context.seatsInUse !== undefined && !overageTolerated(license, context.seatsInUse, now)) {
    return verdict('SEAT_LIMIT_EXCEEDED', `seat limit exceeded: ${context.seatsInUse} of ${seatLimit} activations in use. Deactivate a device to continue.`);
  }
  const missing = (context.features ?? []).filter((feature) => !license.policy.features[feature]);
  if (missing.length) {
    return verdict('FEATURES_MISSING', `This license does not include: ${missing.join(', ')}. Upgrade the plan to use ${missing.length > 1 ? 'them' : 'it'}.`);
  }
  if (license.status === 'PAST_DUE') {
    return verdict('PAST_DUE', 'The last payment failed. The license keeps working for now; update the payment method to avoid suspension.');
  }
  if (license.expiresAt && license.expiresAt <= now) {
    const graceEnds = new Date(license.expiresAt.getTime() + license.policy.expiryGraceDays * DAY_MS);
    return verdict('IN_GRACE', `This license expired on ${day(license.expiresAt)} and keeps working until ${day(graceEnds)}. Renew it now.`);
  }
  if (license.status === 'TRIALING' && license.trialEndsAt) return verdict('VALID', `Trial license, valid until ${day(license.trialEndsAt)}.`);
  return verdict('VALID', license.expiresAt ? `License valid until ${day(license.expiresAt)}.` : 'Perpetual license, valid.');
}

/**
 * The first instant after `now` at which evaluateLicense() of this snapshot could answer
 * differently for a request that sends nothing but the key (no fingerprint, user, domain or
 * features; its IP only matters to licenses with allowed CIDRs, never memoised): every date it
 * compares `now` with. Infinity when none lies ahead.
 */
export function plainVerdictStableUntil(license: LicenseSnapshot, now: Date): number {
  const at = now.getTime();
  const { expiryGraceDays, overageDays } = license.policy;
  const moments = [
    license.trialEndsAt?.getTime(),
    license.expiresAt?.getTime(),
    license.expiresAt ? license.expiresAt.getTime() + expiryGraceDays * DAY_MS : undefined,
    license.overageStartedAt ? license.overageStartedAt.getTime() + overageDays * DAY_MS : undefined,
  ];
  let until = Infinity;
  for (const moment of moments) if (moment !== undefined && moment > at && moment < until) until = moment;
  return until;
}
