/**
 * The stable codes a domain operation refuses with. The lifecycle's own refusals (the workflow's
 * update validators, workflows/license-failures.ts) are among them: they reach callers the same
 * way. The API answers each code with the status api/http/problem.ts gives it.
 */
export const DOMAIN_ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_DATE',
  'REASON_REQUIRED',
  'LICENSE_NOT_FOUND',
  'PLAN_NOT_FOUND',
  'CUSTOMER_NOT_FOUND',
  'ACTIVATION_NOT_FOUND',
  'SIGNING_KEY_NOT_FOUND',
  'SIGNING_KEY_ACTIVE',
  'LICENSE_NOT_ISSUABLE',
  'LICENSE_ALREADY_REVOKED',
  'LICENSE_EXPIRED',
  'NOT_TRIALING',
  'SAME_PLAN',
  'ALREADY_SUSPENDED',
  'NOT_SUSPENDED',
  // Key operations (domain/licenses/rotate-license-key.ts, resend-license-key.ts, domain/seats/reset-license-seats.ts).
  'KEY_EMAIL_UNAVAILABLE',
  'SEAT_RESET_OVER_CAP',
  'ABUSE_ALERT_NOT_FOUND',
  'ABUSE_ALERT_ALREADY_DISMISSED',
  // Reports: a range beyond the report's maximum, a filter naming nothing that exists.
  'REPORT_RANGE_TOO_LONG',
  'UNKNOWN_FILTER_VALUE',
  // Bulk operations.
  'BULK_OPERATION_NOT_FOUND',
  'BULK_OPERATION_FINISHED',
  'BULK_SELECTION_TOO_LARGE',
  'BULK_NOTHING_TO_CHANGE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export function isDomainErrorCode(value: unknown): value is DomainErrorCode {
  return typeof value === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * An operation refused as asked (no such license, a bad term, a license already revoked): its
 * code, a sentence saying what to do, and any detail a caller can show (`extra`, e.g. the fields
 * in error). Nothing was changed.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly extra: Record<string, unknown>;

  constructor(code: DomainErrorCode, detail: string, options: { extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'DomainError';
    this.code = code;
    this.extra = options.extra ?? {};
  }
}
