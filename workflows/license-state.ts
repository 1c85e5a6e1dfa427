import type { AuditActor, RequestOrigin } from '../domain/audit/audit-actor.ts';
import type { LicenseStatus } from '../schema/license/license-status.ts';

/** The parts of the plan's policy the lifecycle needs (durations and reminder offsets). */
export interface LifecyclePolicy {
  expiryGraceDays: number;
  paymentGraceDays: number;
  reminderOffsetsDays: number[];
}

export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = { expiryGraceDays: 0, paymentGraceDays: 7, reminderOffsetsDays: [90, 30, 14, 7, 0] };

/** Trial-ending reminders, in days before the trial ends. */
export const TRIAL_REMINDER_OFFSETS_DAYS = [3, 1];

export interface ScheduledPlanChange {
  planId: string;
  planCode: string;
  policy: LifecyclePolicy;
  /** Seats after the change; absent: unchanged. */
  seatLimit?: number | null;
  effectiveAt: string;
  actor: string;
  /** Who scheduled it, for the audit row written when it takes effect. */
  by?: AdminActing;
  reason: string;
}

/**
 * What a license workflow knows and carries across continue-as-new. Never holds the key:
 * workflow history is readable by staff, so only the id and descriptive fields live here.
 */
export interface LicenseState {
  licenseId: string;
  status: LicenseStatus;
  plan: string;
  planId?: string | null;
  customerEmail: string | null;
  /** ISO-8601, or null for perpetual licenses. */
  expiresAt: string | null;
  trialEndsAt: string | null;
  /** The Postgres row version the workflow last wrote or saw. */
  version: number;
  statusReason: string | null;
  policy?: LifecyclePolicy;
  /** Start of the current period: reminders due before it are not sent. */
  periodStartedAt?: string;
  /** When the unpaid invoice made the license PAST_DUE. */
  pastDueSince?: string | null;
  /** The subscription was canceled: the license ends at expiry instead of renewing. */
  cancelAtPeriodEnd?: boolean;
  scheduledPlanChange?: ScheduledPlanChange | null;
  /** Reminders already sent this period, by idempotency key. */
  remindersSent?: string[];
  /** Billing event ids already applied (the most recent ones). */
  appliedEventIds?: string[];
  /** Creation time of the newest payment fact applied, to ignore older ones arriving late. */
  lastPaymentFactAt?: string | null;
  lastPlanFactAt?: string | null;
  subscriptionId?: string | null;
  /** Continue-as-new after this many lifecycle events in one run (history stays small). */
  eventsPerRun?: number;
  /** The plan edit the policy came from (a plan's `updated_at`): an older edit's rollout is ignored. */
  policySource?: { planId: string; version: string } | null;
}

/**
 * A plan's edited lifecycle policy, as its rollout hands it to each running license on the plan
 * (the license's own overrides already applied). `version` orders edits of one plan; `expiresAt`
 * is set when the plan's fixed term end moved and this license ended on the old one.
 */
export interface PlanPolicyUpdate {
  planId: string;
  version: string;
  policy: LifecyclePolicy;
  expiresAt?: string;
  actor: string;
  reason: string;
}

/**
 * A license's own terms as an admin edits them: the lifecycle policy its workflow follows from now
 * on, and the row's policy overrides and metadata (each the whole new object; absent: unchanged).
 */
export interface LicenseTerms {
  policy: LifecyclePolicy;
  overrides?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/**
 * Who made an admin request, as every other admin write's audit row records it: the staff member
 * or API token, and the request's IP and user agent (neither a secret).
 */
export interface AdminActing {
  actor: AuditActor;
  origin: RequestOrigin | null;
}

/** Who asked for an admin operation, and why: recorded in the audit trail. */
export interface AdminCommand {
  /** The label older histories and callers carry (`staff:<email>`, `admin:<token name>`). */
  actor: string;
  /** The structured actor and origin (absent in histories recorded before it, and for system work). */
  by?: AdminActing;
  reason: string;
  /** Set when the command is one license's part of a bulk operation: its audit rows name the operation. */
  bulkOperationId?: string;
}

export type LicenseWorkflowInput = LicenseState;

export function workflowIdFor(licenseId: string): string {
  return `license-${licenseId}`;
}
