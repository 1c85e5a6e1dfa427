import { dictionary } from '@zxcvbn-ts/language-common';

/** Long enough to stop guessing; the cap keeps a hash from becoming a denial of service. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The common-password list: the 49,000 most common passwords of zxcvbn-ts's `language-common`
 * package (maintained, MIT, from leaked-password corpora), loaded once. A package rather than
 * a committed file, so the list is updated with the dependency.
 */
let common: Set<string> | undefined;
const commonPasswords = () => (common ??= new Set(dictionary['passwords-common'].map((word) => word.toLowerCase())));

export type PasswordWeakness = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_EMAIL';

/**
 * Why a password is too weak, or null when it is acceptable (NIST SP 800-63B: a length floor
 * and a list of known passwords, no composition rules). A common password with digits or
 * symbols added at the end (`password2024!`) counts as common.
 */
export function passwordWeakness(password: string, context: { minLength: number; email?: string }): PasswordWeakness | null {
  const length = [...password].length;
  if (length < context.minLength) return 'TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (commonPasswords().has(lower) || (stem.length >= 4 && commonPasswords().has(stem))) return 'COMMON';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'CONTAINS_EMAIL';
  return null;
}

export const PASSWORD_WEAKNESS_DETAIL: Record<PasswordWeakness, (minLength: number) => string> = {
  TOO_SHORT: (min) => `the password must be at least ${min} characters long`,
  TOO_LONG: () => `the password must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  COMMON: () => 'this password is among the most common passwords; choose another',
  CONTAINS_EMAIL: () => 'the password must not contain your e-mail address',
};
