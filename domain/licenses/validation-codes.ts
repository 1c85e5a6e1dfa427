/**
 * The stable codes a validation (and an activation rejection) answers with. `valid` is true
 * for VALID and for the two warnings, PAST_DUE and IN_GRACE: the software keeps working, and
 * should tell its user why action is needed.
 */
export const VALIDATION_CODES = {
  VALID: { valid: true, meaning: 'The license is in good standing.' },
  PAST_DUE: { valid: true, meaning: 'A payment failed; the license works during the payment grace period.' },
  IN_GRACE: { valid: true, meaning: 'The license term has ended; it works during the post-expiry grace period.' },
  NOT_FOUND: { valid: false, meaning: 'No license matches the key.' },
  KEY_ROTATED: { valid: false, meaning: 'The key was replaced by a new one (a rotation); ask the user for the new key, which was e-mailed to the customer.' },
  EXPIRED: { valid: false, meaning: 'The license term (and any grace period) has ended.' },
  TRIAL_EXPIRED: { valid: false, meaning: 'The trial has ended without a purchase.' },
  SUSPENDED: { valid: false, meaning: 'The license is suspended, usually for non-payment.' },
  REVOKED: { valid: false, meaning: 'The license has been permanently revoked.' },
  NOT_ACTIVATED: { valid: false, meaning: 'The given fingerprint (or user) has no activation on this license.' },
  SEAT_LIMIT_EXCEEDED: { valid: false, meaning: 'More seats are in use than the license allows, beyond any overage grace.' },
  HEARTBEAT_DEAD: { valid: false, meaning: 'The concurrent-seat lease of this fingerprint expired without a heartbeat.' },
  DOMAIN_MISMATCH: { valid: false, meaning: 'The license is restricted to other domains.' },
  IP_NOT_ALLOWED: { valid: false, meaning: 'The license is restricted to other IP ranges.' },
  FEATURES_MISSING: { valid: false, meaning: 'The license does not include one or more requested features.' },
} as const;

export type ValidationCode = keyof typeof VALIDATION_CODES;

/** Codes an activation, deactivation or heartbeat can be refused with (422). */
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
