import { CREATION_GRACE_MS, diagnoseLicenseDrift, type LicenseRowSnapshot, type WorkflowSnapshot } from '../../domain/licenses/diagnose-license-drift.ts';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const row = (overrides: Partial<LicenseRowSnapshot> = {}): LicenseRowSnapshot => ({
  id: 'lic-1', status: 'ACTIVE', planCode: 'pro', expiresAt: '2027-11-22T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z', ...overrides,
});
const running = (overrides: Partial<Extract<WorkflowSnapshot, { found: true }>> = {}): WorkflowSnapshot => ({
  found: true, status: 'RUNNING', busy: false, licenseStatus: 'ACTIVE', plan: 'pro', expiresAt: '2027-11-22T00:00:00.000Z', ...overrides,
});
const verdict = (r: LicenseRowSnapshot, w: WorkflowSnapshot) => {
  const { kind, repair } = diagnoseLicenseDrift(r, w, NOW);
  return [kind, repair.action];
};

describe('license drift diagnosis (pure)', () => {
  it('leaves a row that matches its running workflow alone', () => {
    expect(verdict(row(), running())).toEqual(['IN_SYNC', 'none']);
    expect(verdict(row({ expiresAt: null }), running({ expiresAt: null }))).toEqual(['IN_SYNC', 'none']);
  });

  it('starts a workflow for a row that has none, but not for one created moments ago', () => {
    expect(verdict(row(), { found: false })).toEqual(['MISSING_WORKFLOW', 'start_workflow']);
    expect(verdict(row({ createdAt: new Date(NOW - CREATION_GRACE_MS / 2).toISOString() }), { found: false })).toEqual(['IN_FLIGHT', 'none']);
    expect(verdict(row({ status: 'REVOKED' }), { found: false })).toEqual(['IN_SYNC', 'none']);
  });

  it('restarts a workflow that was terminated or failed while the license lives on', () => {
    expect(verdict(row(), running({ status: 'TERMINATED' }))).toEqual(['WORKFLOW_CLOSED', 'start_workflow']);
    expect(verdict(row({ status: 'EXPIRED' }), running({ status: 'FAILED', licenseStatus: 'EXPIRED' }))).toEqual(['WORKFLOW_CLOSED', 'start_workflow']);
  });

  it('writes REVOKED to a row whose workflow ended with the license revoked', () => {
    expect(verdict(row(), running({ status: 'COMPLETED', licenseStatus: 'REVOKED' }))).toEqual(['ROW_NOT_REVOKED', 'mark_row_revoked']);
    expect(verdict(row({ status: 'REVOKED' }), running({ status: 'COMPLETED', licenseStatus: 'REVOKED' }))).toEqual(['IN_SYNC', 'none']);
  });

  it('never brings a revoked row back: the live workflow is revoked instead', () => {
    expect(verdict(row({ status: 'REVOKED' }), running())).toEqual(['WORKFLOW_NOT_REVOKED', 'revoke_workflow']);
  });

  it('asks the workflow to write its state back when status, plan or expiry differ', () => {
    expect(verdict(row({ status: 'SUSPENDED' }), running())).toEqual(['ROW_DRIFTED', 'signal_reconcile']);
    expect(verdict(row({ planCode: 'basic' }), running())).toEqual(['ROW_DRIFTED', 'signal_reconcile']);
    expect(verdict(row({ expiresAt: '2030-01-01T00:00:00.000Z' }), running())).toEqual(['ROW_DRIFTED', 'signal_reconcile']);
    expect(diagnoseLicenseDrift(row({ status: 'SUSPENDED', planCode: 'basic' }), running(), NOW).detail).toBe('row differs from its workflow: status SUSPENDED → ACTIVE, plan basic → pro');
  });

  it('waits while a transition is half-way through (a task or activity pending)', () => {
    expect(verdict(row({ status: 'SUSPENDED' }), running({ busy: true }))).toEqual(['IN_FLIGHT', 'none']);
    expect(verdict(row({ status: 'REVOKED' }), running({ busy: true }))).toEqual(['IN_FLIGHT', 'none']);
  });
});
