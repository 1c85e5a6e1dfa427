import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';
import { registerSearchAttributes } from '../../temporal/search-attribute-registration.ts';
import { AuditEvent, License } from '../../schema/entities.ts';
import { workflowIdFor } from '../../workflows/license-state.ts';
import { reconcileSignal, revokeUpdate, stateQuery } from '../../workflows/messages.ts';
import type { licenseWorkflow } from '../../workflows/license.workflow.ts';
import { createLicenseWorker } from '../../worker/worker.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret, workflowInputFor } from '../support/licenses.ts';
import { createTimeSkippingEnvironment, testLogger, uniqueTaskQueue } from '../support/temporal.ts';
import { eventually } from '../support/poll.ts';

describe('license workflow (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('license-workflow');
  const secret = testSecret();

  beforeAll(async () => {
    [env, db] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    worker = await createLicenseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      em: db.orm.em,
      logger: testLogger,
      delivery: { outreach: OUTREACH_WITHOUT_PROVIDERS },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  async function startLicense() {
    const { license, plan, customerEmail } = await insertLicense(db.orm.em, secret);
    const input = workflowInputFor(license, plan.code, customerEmail);
    const handle = await env.client.workflow.start<typeof licenseWorkflow>('licenseWorkflow', {
      workflowId: workflowIdFor(license.id),
      taskQueue,
      args: [input],
    });
    return { license, handle, input };
  }

  it('revokes through an update: Postgres row, audit event, then the workflow ends', async () => {
    const { license, handle } = await startLicense();
    const state = await handle.executeUpdate(revokeUpdate, { args: [{ actor: 'admin:ops', reason: 'chargeback' }] });
    expect(state).toMatchObject({ status: 'REVOKED', version: 2, statusReason: 'chargeback' });

    const em = db.orm.em.fork();
    const row = await em.findOneOrFail(License, { id: license.id });
    expect(row).toMatchObject({ status: 'REVOKED', version: 2, statusReason: 'chargeback' });
    const events = await em.find(AuditEvent, { license: license.id });
    expect(events.map((e) => [e.action, e.actor, e.reason])).toEqual([['license.revoked', 'admin:ops', 'chargeback']]);
    expect(events[0]!.before).toEqual({ status: 'ACTIVE', statusReason: null, version: 1 });
    expect(events[0]!.after).toEqual({ status: 'REVOKED', statusReason: 'chargeback', version: 2 });

    await expect(handle.result()).resolves.toMatchObject({ status: 'REVOKED' });
  });

  it('applies exactly one of two concurrent revokes and rejects the other as already revoked', async () => {
    const { license, handle } = await startLicense();
    const attempts = await Promise.allSettled([
      handle.executeUpdate(revokeUpdate, { args: [{ actor: 'admin:a', reason: 'fraud' }] }),
      handle.executeUpdate(revokeUpdate, { args: [{ actor: 'admin:b', reason: 'refund' }] }),
    ]);
    const fulfilled = attempts.filter((a) => a.status === 'fulfilled');
    const rejected = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const failure = rejected[0]!.reason as WorkflowUpdateFailedError;
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(failure.cause).toBeInstanceOf(ApplicationFailure);
    expect((failure.cause as ApplicationFailure).type).toBe('LICENSE_ALREADY_REVOKED');
    expect((failure.cause as ApplicationFailure).nonRetryable).toBe(true);

    const events = await db.orm.em.fork().find(AuditEvent, { license: license.id, action: 'license.revoked' });
    expect(events).toHaveLength(1);
  });

  it('rejects a revoke without a reason in the validator, changing nothing', async () => {
    const { license, handle } = await startLicense();
    const attempt = handle.executeUpdate(revokeUpdate, { args: [{ actor: 'admin:ops', reason: '  ' }] });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await attempt.catch((error: WorkflowUpdateFailedError) => {
      expect((error.cause as ApplicationFailure).type).toBe('REASON_REQUIRED');
    });
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'ACTIVE', version: 1 });
    expect((await db.orm.em.fork().findOneOrFail(License, { id: license.id })).status).toBe('ACTIVE');
    // A validator rejection leaves no trace in the history.
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('REASON_REQUIRED');
    await handle.terminate('test done');
  });

  it('repairs a drifted row on a reconcile signal: the workflow’s state wins', async () => {
    const { license, handle } = await startLicense();
    await handle.query(stateQuery);
    await db.orm.em.execute(`update license set status = 'SUSPENDED', status_reason = 'edited by hand' where id = ?`, [license.id]);
    await handle.signal(reconcileSignal, { reason: 'row status differed from the workflow' });
    await eventually(async () => ((await db.orm.em.fork().findOneOrFail(License, { id: license.id })).status === 'ACTIVE' ? true : undefined), { what: 'the workflow to repair the row' });
    expect(await db.orm.em.fork().findOneOrFail(License, { id: license.id })).toMatchObject({ status: 'ACTIVE', statusReason: null, version: 2 });
    const events = await db.orm.em.fork().find(AuditEvent, { license: license.id });
    expect(events.map((e) => [e.action, e.actor, e.reason])).toEqual([['license.reconciled', 'reconciler', 'row status differed from the workflow']]);
    await handle.terminate('test done');
  });

  it('answers the state query with what it knows, and publishes searchable attributes', async () => {
    const { handle, input } = await startLicense();
    const state = await handle.query(stateQuery);
    expect(state).toMatchObject(input);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().map((p) => p.key.name)).toEqual(
      expect.arrayContaining(['LicenseStatus', 'LicensePlan', 'CustomerEmail', 'LicenseExpiresAt']),
    );
    await handle.terminate('test done');
  });
});
