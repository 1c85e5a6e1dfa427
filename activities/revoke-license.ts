import type { ApplyLicenseChangeInput, LicenseChangeResult } from '../domain/licenses/apply-license-change.ts';
import type { AdminActing } from '../workflows/license-state.ts';

export interface RevokeLicenseInput {
  licenseId: string;
  actor: string;
  by?: AdminActing;
  reason: string;
  /** Set when the revocation is part of a bulk operation. */
  bulkOperationId?: string;
}

/**
 * Marks the license REVOKED in Postgres through the lifecycle's write path (`applyChange`);
 * the very next validation rejects it. Kept as its own activity so that histories recorded
 * with a `revokeLicense` activity replay.
 */
export function revokeLicense(applyChange: (input: ApplyLicenseChangeInput) => Promise<LicenseChangeResult>) {
  return (input: RevokeLicenseInput): Promise<LicenseChangeResult> =>
    applyChange({
      licenseId: input.licenseId,
      patch: { status: 'REVOKED', statusReason: input.reason },
      action: 'license.revoked',
      actor: input.actor,
      by: input.by,
      reason: input.reason,
      bulkOperationId: input.bulkOperationId,
    });
}
