import { ApplicationFailure } from '@temporalio/common';

/**
 * Business rejections raised by workflow update validators and handlers. They are
 * non-retryable ApplicationFailures whose `type` is a stable code the API maps to a status.
 */
export const LICENSE_FAILURE_TYPES = [
  'LICENSE_ALREADY_REVOKED',
  'REASON_REQUIRED',
  'INVALID_DATE',
  'NOT_TRIALING',
  'SAME_PLAN',
  'ALREADY_SUSPENDED',
  'NOT_SUSPENDED',
  'LICENSE_EXPIRED',
  // Terms without a lifecycle policy (the API builds them; another caller may not).
  // A malformed seat limit or feature set (the API validates first; another caller may not).
  'INVALID_REQUEST',
] as const;
export type LicenseFailureType = (typeof LICENSE_FAILURE_TYPES)[number];

export function rejectLicenseOperation(type: LicenseFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}
