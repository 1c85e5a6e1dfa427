import { randomBytes } from 'node:crypto';

/**
 * License keys: `KW-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX` (trial keys: `KWT-…`).
 * Crockford's base32 alphabet (no I, L, O, U) keeps keys readable over the phone;
 * 6 groups of 4 characters carry 120 bits from the CSPRNG.
 */
export const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const KEY_GROUPS = 6;
export const KEY_GROUP_LENGTH = 4;
export const LICENSE_KEY_PREFIX = 'KW';
export const TRIAL_KEY_PREFIX = 'KWT';

const KEY_PATTERN = new RegExp(
  `^(${LICENSE_KEY_PREFIX}|${TRIAL_KEY_PREFIX})(-[${KEY_ALPHABET}]{${KEY_GROUP_LENGTH}}){${KEY_GROUPS}}$`,
);

export function generateLicenseKey(options: { trial?: boolean } = {}): string {
  const length = KEY_GROUPS * KEY_GROUP_LENGTH;
  const bytes = randomBytes(length);
  let body = '';
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  for (const byte of bytes) body += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  const groups = body.match(new RegExp(`.{${KEY_GROUP_LENGTH}}`, 'g')) ?? [];
  return [options.trial ? TRIAL_KEY_PREFIX : LICENSE_KEY_PREFIX, ...groups].join('-');
}

/**
 * Canonical form used for hashing: upper case, Crockford's look-alikes folded
 * (O→0, I/L→1), whitespace dropped. Users retyping a key from a screenshot still match.
 */
export function normalizeLicenseKey(input: string): string {
  const upper = input.trim().toUpperCase().replace(/\s+/g, '');
  const dash = upper.indexOf('-');
  if (dash < 0) return upper;
  const prefix = upper.slice(0, dash);
  const body = upper.slice(dash).replace(/O/g, '0').replace(/[IL]/g, '1');
  return prefix + body;
}

export function isWellFormedLicenseKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** What staff may see of a key: its prefix and last group, e.g. `KW-…-7QXM`. */
export function licenseKeyHint(key: string): string {
  const parts = key.split('-');
  return `${parts[0]}-…-${parts[parts.length - 1]}`;
}
