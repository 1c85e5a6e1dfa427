import type { LicenseStatus } from '../schema/license/license-status.ts';

/**
 * What a license workflow knows and carries across continue-as-new. Never holds the key:
 * workflow history is readable by staff, so only the id and descriptive fields live here.
 */
export interface LicenseState {
  licenseId: string;
  status: LicenseStatus;
  plan: string;
  customerEmail: string | null;
  /** ISO-8601, or null for perpetual licenses. */
  expiresAt: string | null;
  trialEndsAt: string | null;
  /** The Postgres row version the workflow last wrote or saw. */
  version: number;
  statusReason: string | null;
}

/** Who asked for an admin operation, and why: recorded in the audit trail. */
export interface AdminCommand {
  actor: string;
  reason: string;
}

export type LicenseWorkflowInput = LicenseState;

export function workflowIdFor(licenseId: string): string {
  return `license-${licenseId}`;
}
