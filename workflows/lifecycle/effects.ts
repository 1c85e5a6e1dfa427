import type { LicenseStatus } from '../../schema/license/license-status.ts';
import type { Features } from '../../schema/plan/plan-policy.ts';
import type { AdminActing, LicenseState } from '../license-state.ts';

/** A change to the license row, written by the applyLicenseChange activity with its audit event. */
export interface LicensePatch {
  status?: LicenseStatus;
  expiresAt?: string | null;
  trialEndsAt?: string | null;
  planId?: string;
  statusReason?: string | null;
  /** The license's own seat limit (an override of the plan's), e.g. the Stripe quantity. */
  seatLimit?: number | null;
  /** The license's whole set of policy overrides (an admin's edit of its terms). */
  overrides?: Record<string, unknown>;
  /** The license's whole metadata object (e.g. the renewal value the CRM task shows). */
  metadata?: Record<string, unknown>;
  /** The license's own feature set (an override of the plan's). */
  features?: Features;
}

export const NOTIFICATION_EVENTS = [
  'renewal_reminder',
  'trial_ending',
  'payment_failed',
  'license_suspended',
  'license_expired',
  'license_revoked',
  'license_renewed',
  'license_issued',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type Effect =
  | { kind: 'persist'; patch: LicensePatch; action: string; actor: string; by?: AdminActing; reason: string | null; bulkOperationId?: string }
  | { kind: 'notify'; event: NotificationEvent; key: string; data: Record<string, unknown> };

export interface Outcome {
  state: LicenseState;
  effects: Effect[];
  /** Set when nothing happened, and why (duplicate, stale, not applicable). */
  ignored?: string;
  /** A new period began: the workflow continues as new afterwards. */
  renewed?: boolean;
}

export const unchanged = (state: LicenseState, ignored: string): Outcome => ({ state, effects: [], ignored });
