/**
 * The verdict codes, as the API answers them (domain/licenses/validation-codes.ts; a test in
 * the repository checks the two lists match). `valid` is true for VALID and the two warnings.
 */
export const VALIDATION_CODES = {
  VALID: { valid: true },
  PAST_DUE: { valid: true },
  IN_GRACE: { valid: true },
  NOT_FOUND: { valid: false },
  /** The key was replaced (rotated): ask the user for the new key, which was e-mailed to the license owner. */
  KEY_ROTATED: { valid: false },
  EXPIRED: { valid: false },
  TRIAL_EXPIRED: { valid: false },
  SUSPENDED: { valid: false },
  REVOKED: { valid: false },
  NOT_ACTIVATED: { valid: false },
  SEAT_LIMIT_EXCEEDED: { valid: false },
  HEARTBEAT_DEAD: { valid: false },
  DOMAIN_MISMATCH: { valid: false },
  IP_NOT_ALLOWED: { valid: false },
  FEATURES_MISSING: { valid: false },
} as const;
export type ValidationCode = keyof typeof VALIDATION_CODES;

/** Codes an activation, deactivation or heartbeat can be refused with (HTTP 422). */
export const ACTIVATION_REJECTION_CODES = [
  'EXPIRED',
  'TRIAL_EXPIRED',
  'SUSPENDED',
  'REVOKED',
  'SEAT_LIMIT_EXCEEDED',
  'DOMAIN_MISMATCH',
  'IP_NOT_ALLOWED',
  'NOT_ACTIVATED',
  'HEARTBEAT_DEAD',
  'USER_REQUIRED',
  'DEACTIVATION_LIMIT_REACHED',
  'KEY_ROTATED',
] as const;
export type ActivationRejectionCode = (typeof ACTIVATION_REJECTION_CODES)[number];

/**
 * Verdicts only the SDK gives, all of them refusals: what it could not trust, or could not
 * reach.
 */
export const CLIENT_CODES = {
  /** A signature did not verify, or was made by a key the client does not trust (unknown or retired). */
  SIGNATURE_INVALID: { valid: false },
  /** The answer did not echo this request's nonce: a replayed answer. */
  NONCE_MISMATCH: { valid: false },
  /** The signed answer is about another license key (its `kwk` is missing or not this key's digest): a swapped answer. */
  KEY_MISMATCH: { valid: false },
  /** The signed answer was decided on another fingerprint, domain, user or feature set than asked (its `scope`): a changed request. */
  SCOPE_MISMATCH: { valid: false },
  /** An offline token that is malformed, or not a Keywarden license token. */
  TOKEN_INVALID: { valid: false },
  /** The offline token (or the last signed answer) is past its end. */
  TOKEN_EXPIRED: { valid: false },
  /**
   * The offline token (or a stored answer) dates from before a signed answer that refused the
   * license itself (REVOKED, SUSPENDED, EXPIRED, TRIAL_EXPIRED), or the stored record of that
   * refusal does not verify: offline tokens cannot be revoked on the server, so the client
   * remembers what it was told.
   */
  TOKEN_REVOKED: { valid: false },
  /** The offline token is bound to another machine. */
  FINGERPRINT_MISMATCH: { valid: false },
  /** The system clock is earlier than a time this client has already seen: offline answers are refused. */
  CLOCK_TAMPERED: { valid: false },
  /** The server is unreachable and nothing trustworthy is stored. */
  OFFLINE_UNAVAILABLE: { valid: false },
} as const;
export type ClientCode = keyof typeof CLIENT_CODES;

export type ResultCode = ValidationCode | ClientCode;

export function isValidCode(code: ResultCode): boolean {
  return code in VALIDATION_CODES ? VALIDATION_CODES[code as ValidationCode].valid : false;
}
