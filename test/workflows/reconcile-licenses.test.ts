import { AuditEvent, License } from '../../schema/entities.ts';
import { workflowIdFor, type LicenseState } from '../../workflows/license-state.ts';
import type { reconcileLicensesWorkflow } from '../../workflows/reconcile-licenses.workflow.ts';
import { stateQuery } from '../../workflows/messages.ts';
import { ensureLicenseSchedules, LICENSE_RECONCILIATION_SCHEDULE_ID } from '../../worker/license-schedules.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { insertLicense } from '../support/licenses.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { eventually } from '../support/poll.ts';

describe('drift repair (reconciliation workflow and its schedule, on the dev server)', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const sql = (query: string, params: unknown[]) => stack.db.orm.em.fork().execute(query, params);
  const rowOf = (id: string) => stack.db.orm.em.fork().findOneOrFail(License, { id });
  const reconcile = (workflowId = `reconcile-test-${Date.now()}`) =>
    stack.temporal.workflow.execute<typeof reconcileLicensesWorkflow>('reconcileLicensesWorkflow', {
      workflowId,
      taskQueue: stack.taskQueue,
      // Small pages, so the pass crosses page boundaries.
      args: [{ pageSize: 2 }],
    });
  const workflowState = (id: string) => stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  const idle = (id: string) =>
    eventually(async () => {
      const description = await stack.temporal.workflow.getHandle(workflowIdFor(id)).describe();
      return !description.raw.pendingWorkflowTask && !description.raw.pendingActivities?.length ? true : undefined;
    }, { what: `license ${id} to be idle` });

  it('finds every kind of drift, repairs each, and finds nothing on the next pass', async () => {
    const inSync = await createLicense(stack);
    const drifted = await createLicense(stack);
    const terminated = await createLicense(stack);
    const revokedRow = await createLicense(stack);
    const unrevokedRow = await createLicense(stack);
    // A row whose workflow was never started (the API crashed between the two), created long enough ago.
    const orphan = await insertLicense(stack.db.orm.em, stack.secret, { createdAt: new Date(Date.now() - 3_600_000), expiresAt: new Date('2031-01-01T00:00:00Z') } as never);
    for (const { id } of [inSync, drifted, terminated, revokedRow, unrevokedRow]) await idle(id);

    await sql(`update license set status = 'SUSPENDED', expires_at = '2030-01-01' where id = ?`, [drifted.id]);
    await stack.temporal.workflow.getHandle(workflowIdFor(terminated.id)).terminate('operator mistake');
    await sql(`update license set status = 'REVOKED' where id = ?`, [revokedRow.id]);
    expect((await stack.request('POST', `/v1/licenses/${unrevokedRow.id}/revoke`, { body: { reason: 'chargeback' } })).status).toBe(200);
    await stack.temporal.workflow.getHandle(workflowIdFor(unrevokedRow.id)).result();
    await sql(`update license set status = 'ACTIVE', status_reason = null where id = ?`, [unrevokedRow.id]);

    const firstPass = `reconcile-test-repairs-${Date.now()}`;
    const totals = await reconcile(firstPass);
    expect(totals).toMatchObject({ checked: 6, repaired: 5, failed: 0 });
    expect(totals.counts).toEqual({ IN_SYNC: 1, ROW_DRIFTED: 1, WORKFLOW_CLOSED: 1, WORKFLOW_NOT_REVOKED: 1, ROW_NOT_REVOKED: 1, MISSING_WORKFLOW: 1 });
    const byLicense = Object.fromEntries(totals.sampleRepairs.map((r) => [r.licenseId, r.action]));
    expect(byLicense).toEqual({
      [drifted.id]: 'signal_reconcile',
      [terminated.id]: 'start_workflow',
      [revokedRow.id]: 'revoke_workflow',
      [unrevokedRow.id]: 'mark_row_revoked',
      [orphan.license.id]: 'start_workflow',
    });

    // The drifted row gets its workflow's state back, with an audit event saying why.
    const repaired = await eventually(async () => ((await rowOf(drifted.id)).status === 'ACTIVE' ? rowOf(drifted.id) : undefined), { what: 'the drifted row to be repaired' });
    expect(repaired.expiresAt?.toISOString()).toBe('2099-01-01T00:00:00.000Z');
    const audit = await stack.db.orm.em.fork().find(AuditEvent, { license: drifted.id, action: 'license.reconciled' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toContain('status SUSPENDED → ACTIVE');

    // The terminated workflow and the orphan run again, from their rows.
    await expect(workflowState(terminated.id)).resolves.toMatchObject({ status: 'ACTIVE', licenseId: terminated.id });
    await expect(workflowState(orphan.license.id)).resolves.toMatchObject({ status: 'ACTIVE', expiresAt: '2031-01-01T00:00:00.000Z' });
    // Revocation is terminal in both directions.
    const revoked = (await stack.temporal.workflow.getHandle(workflowIdFor(revokedRow.id)).result()) as LicenseState;
    expect(revoked).toMatchObject({ status: 'REVOKED' });
    expect((await rowOf(unrevokedRow.id)).status).toBe('REVOKED');
    expect((await stack.request('POST', '/v1/validate', { body: { key: unrevokedRow.key }, token: null })).body.code).toBe('REVOKED');

    for (const { id } of [drifted, terminated, orphan.license]) await idle(id);
    const second = await reconcile();
    expect(second).toMatchObject({ checked: 6, repaired: 0, failed: 0, counts: { IN_SYNC: 6 } });
    await recordHistory(stack.temporal, firstPass, 'reconcile-licenses-repairs');
  });

  it('keeps exactly one schedule, updated in place on every worker start, and runs the pass from it', async () => {
    const client = stack.temporal;
    try {
      expect(await ensureLicenseSchedules(client, stack.taskQueue, { reconcileEvery: '6h', stripeReconcileCron: null })).toMatchObject({ [LICENSE_RECONCILIATION_SCHEDULE_ID]: 'created' });
      expect(await ensureLicenseSchedules(client, stack.taskQueue, { reconcileEvery: '1h', stripeReconcileCron: null })).toMatchObject({ [LICENSE_RECONCILIATION_SCHEDULE_ID]: 'updated' });
      const handle = client.schedule.getHandle(LICENSE_RECONCILIATION_SCHEDULE_ID);
      const description = await handle.describe();
      expect(description.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconcileLicensesWorkflow', taskQueue: stack.taskQueue });

      await handle.trigger();
      const run = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action, { what: 'the triggered run' });
      const result = await client.workflow.getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId).result();
      expect(result).toMatchObject({ failed: 0 });
      expect(result.checked).toBeGreaterThan(0);

      expect(await ensureLicenseSchedules(client, stack.taskQueue, { reconcileEvery: null, stripeReconcileCron: null })).toMatchObject({ [LICENSE_RECONCILIATION_SCHEDULE_ID]: 'deleted' });
    } finally {
      await client.schedule.getHandle(LICENSE_RECONCILIATION_SCHEDULE_ID).delete().catch(() => undefined);
    }
  });
});
