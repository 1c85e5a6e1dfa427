import type { LicenseStatus } from '../../schema/license/license-status.ts';

/** A license row as the reconciler reads it. */
export interface LicenseRowSnapshot {
  id: string;
  status: LicenseStatus;
  planCode: string;
  expiresAt: string | null;
  createdAt: string;
}

/** What Temporal says about the license's workflow (its latest run), from one describe call. */
export type WorkflowSnapshot =
  | { found: false }
  | {
      found: true;
      /** RUNNING, COMPLETED, TERMINATED, FAILED, TIMED_OUT, CANCELLED, CONTINUED_AS_NEW, … */
      status: string;
      /** A workflow task or an activity is pending: a transition may be half-way through. */
      busy: boolean;
      /** The search attributes the workflow publishes after every change. */
      licenseStatus: string | null;
      plan: string | null;
      expiresAt: string | null;
    };

export const DRIFT_KINDS = ['IN_SYNC', 'IN_FLIGHT', 'MISSING_WORKFLOW', 'WORKFLOW_CLOSED', 'ROW_NOT_REVOKED', 'WORKFLOW_NOT_REVOKED', 'ROW_DRIFTED'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** The repair for each kind of drift. */
export type Repair =
  | { action: 'none' }
  /** Start the workflow from the row (never started, or closed without a revocation). */
  | { action: 'start_workflow' }
  /** The workflow ended revoked but the row says otherwise: write REVOKED to the row. */
  | { action: 'mark_row_revoked' }
  /** The row is revoked but the workflow is not: revocation is terminal, so the workflow follows. */
  | { action: 'revoke_workflow' }
  /** The workflow owns the lifecycle: it writes its state back to the row (reconcile signal). */
  | { action: 'signal_reconcile' };

export interface Diagnosis {
  kind: DriftKind;
  repair: Repair;
  /** A sentence for the audit trail and the reconciliation summary. */
  detail: string;
}

/** A new row whose workflow is still being started by the API is not drift. */
export const CREATION_GRACE_MS = 5 * 60_000;

const sameInstant = (a: string | null, b: string | null) => (a && b ? new Date(a).getTime() === new Date(b).getTime() : a === b);

/**
 * Compares a license row with its workflow and decides the repair. Pure: the reconciliation
 * activity gathers the facts and carries out the repair. The workflow is the source of truth
 * for every lifecycle field, with one exception: a revoked row is never brought back.
 */
export function diagnoseLicenseDrift(row: LicenseRowSnapshot, workflow: WorkflowSnapshot, now: number): Diagnosis {
  const revokedRow = row.status === 'REVOKED';
  if (!workflow.found) {
    if (revokedRow) return { kind: 'IN_SYNC', repair: { action: 'none' }, detail: 'revoked, no workflow needed' };
    if (now - new Date(row.createdAt).getTime() < CREATION_GRACE_MS) return { kind: 'IN_FLIGHT', repair: { action: 'none' }, detail: 'created moments ago; its workflow is being started' };
    return { kind: 'MISSING_WORKFLOW', repair: { action: 'start_workflow' }, detail: `license is ${row.status} but has no workflow` };
  }
  if (workflow.status !== 'RUNNING') {
    if (revokedRow) return { kind: 'IN_SYNC', repair: { action: 'none' }, detail: 'revoked, workflow closed' };
    if (workflow.status === 'COMPLETED' && workflow.licenseStatus === 'REVOKED') {
      return { kind: 'ROW_NOT_REVOKED', repair: { action: 'mark_row_revoked' }, detail: `workflow ended with the license revoked, but the row says ${row.status}` };
    }
    return { kind: 'WORKFLOW_CLOSED', repair: { action: 'start_workflow' }, detail: `workflow is ${workflow.status} while the license is ${row.status}` };
  }
  if (workflow.busy) return { kind: 'IN_FLIGHT', repair: { action: 'none' }, detail: 'a transition is in progress' };
  if (revokedRow) {
    return workflow.licenseStatus === 'REVOKED'
      ? { kind: 'IN_SYNC', repair: { action: 'none' }, detail: 'revoked, workflow finishing' }
      : { kind: 'WORKFLOW_NOT_REVOKED', repair: { action: 'revoke_workflow' }, detail: `row is revoked but the workflow says ${workflow.licenseStatus}` };
  }
  const differences: string[] = [];
  if (workflow.licenseStatus !== row.status) differences.push(`status ${row.status} → ${workflow.licenseStatus}`);
  if (workflow.plan !== row.planCode) differences.push(`plan ${row.planCode} → ${workflow.plan}`);
  if (!sameInstant(workflow.expiresAt, row.expiresAt)) differences.push(`expiry ${row.expiresAt ?? 'none'} → ${workflow.expiresAt ?? 'none'}`);
  if (differences.length === 0) return { kind: 'IN_SYNC', repair: { action: 'none' }, detail: 'in sync' };
  return { kind: 'ROW_DRIFTED', repair: { action: 'signal_reconcile' }, detail: `row differs from its workflow: ${differences.join(', ')}` };
}
