/**
 * The stable codes a validation answers with. `valid` is true only for VALID and PAST_DUE
 * (still usable, with a warning to update payment).
 */
export const VALIDATION_CODES = {
  VALID: { valid: true, meaning: 'The license is in good standing.' },
  PAST_DUE: { valid: true, meaning: 'Payment failed; the license works during the payment grace period.' },
  NOT_FOUND: { valid: false, meaning: 'No license matches the key.' },
  EXPIRED: { valid: false, meaning: 'The license term has ended.' },
  TRIAL_EXPIRED: { valid: false, meaning: 'The trial has ended without a purchase.' },
  SUSPENDED: { valid: false, meaning: 'The license is suspended, usually for non-payment.' },
  REVOKED: { valid: false, meaning: 'The license has been permanently revoked.' },
} as const;

export type ValidationCode = keyof typeof VALIDATION_CODES;
