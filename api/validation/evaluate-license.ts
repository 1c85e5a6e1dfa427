import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { VALIDATION_CODES, type ValidationCode } from './validation-codes.ts';

export interface Verdict {
  valid: boolean;
  code: ValidationCode;
  detail: string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function verdict(code: ValidationCode, detail: string): Verdict {
  return { valid: VALIDATION_CODES[code].valid, code, detail };
}

/**
 * Decides a validation from the license row alone: a pure function, so it is cheap on the hot
 * path and exhaustively testable. Dates are judged against `now` even before the workflow's
 * timer has moved the status, so a client is never told "valid" after the end date.
 */
export function evaluateLicense(license: LicenseEntity | null, now: Date): Verdict {
  if (!license) return verdict('NOT_FOUND', 'No license matches this key. Check it for typos, or contact the seller.');
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
    case 'PAST_DUE':
      break;
    case 'ACTIVE':
      break;
  }
  if (license.expiresAt && license.expiresAt <= now) {
    return verdict('EXPIRED', `This license expired on ${day(license.expiresAt)}. Renew it to keep using the product.`);
  }
  if (license.status === 'PAST_DUE') {
    return verdict('PAST_DUE', 'The last payment failed. The license keeps working for now; update the payment method to avoid suspension.');
  }
  return license.status === 'TRIALING' && license.trialEndsAt
    ? verdict('VALID', `Trial license, valid until ${day(license.trialEndsAt)}.`)
    : verdict('VALID', license.expiresAt ? `License valid until ${day(license.expiresAt)}.` : 'Perpetual license, valid.');
}
