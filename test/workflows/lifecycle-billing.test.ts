import { WorkflowUpdateFailedError } from '@temporalio/client';
import { AuditEvent } from '../../schema/entities.ts';
import { upcomingDeadlines } from '../../workflows/lifecycle/deadlines.ts';
import { insertPlan } from '../support/licenses.ts';
import {
  changePlanUpdate,
  paymentFailedSignal,
  paymentSucceededSignal,
  refundedSignal,
  reinstateUpdate,
  revokeUpdate,
  stateQuery,
  suspendUpdate,
} from '../../workflows/messages.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { continuedAsNew, DAY, outbox, row, settle, startLifecycle, step, startLifecycleEnvironment, type LifecycleEnvironment, lifecycleRetries, ask } from '../support/lifecycle.ts';

const at = (ms: number) => new Date(ms).toISOString();

lifecycleRetries();

describe('billing facts drive the lifecycle (time-skipping)', () => {
  let life: LifecycleEnvironment;

  // A fresh server for every test, so a retry never inherits a wedged one (see lifecycleRetries).
  beforeEach(async () => {
    life = await startLifecycleEnvironment();
  });
  afterEach(async () => {
    await life?.close();
  });

  const start = (options: Parameters<typeof startLifecycle>[4] = {}) => startLifecycle(life.env, life.db.orm.em, life.secret, life.taskQueue, options);
  const waitUntilStatus = (handle: { workflowId: string }, status: string) => settle(life.env, handle.workflowId, (state) => state.status === status);

  it('goes past due on a failed payment, suspends after the payment grace, and recovers on payment; staff can suspend and reinstate', async () => {
    const { license, handle, startedAt } = await start({ policy: { paymentGraceDays: 5 } });
    await handle.signal(paymentFailedSignal, { eventId: 'evt_fail_1', occurredAt: at(startedAt + 1000) });
    const pastDue = await waitUntilStatus(handle, 'PAST_DUE');
    expect((await row(life.db.orm.em, license.id)).status).toBe('PAST_DUE');
    // The timeline from the settled state, not a query: the test server can lose a query asked just
    // before a time skip, and a lost query stops its clock (the timeline query is tested on the dev server).
    expect(upcomingDeadlines(pastDue).find((d) => d.kind === 'payment_grace_end')?.at).toBe(startedAt + 1000 + 5 * DAY);

    await life.env.sleep(6 * DAY);
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'SUSPENDED', statusReason: 'payment grace ended without payment' });

    const paidThrough = startedAt + 400 * DAY;
    await waitUntilStatus(handle, 'SUSPENDED');
    await handle.signal(paymentSucceededSignal, { eventId: 'evt_paid_1', occurredAt: at(startedAt + 6 * DAY), periodEnd: at(paidThrough) });
    await waitUntilStatus(handle, 'ACTIVE');
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'ACTIVE', statusReason: null, expiresAt: new Date(paidThrough) });

    await handle.executeUpdate(suspendUpdate, { args: [{ actor: 'admin:cs', reason: 'abuse report under review' }] });
    expect((await row(life.db.orm.em, license.id)).status).toBe('SUSPENDED');
    const reinstated = await handle.executeUpdate(reinstateUpdate, { args: [{ actor: 'admin:cs', reason: 'report unfounded' }] });
    expect(reinstated.status).toBe('ACTIVE');
    expect((await row(life.db.orm.em, license.id)).status).toBe('ACTIVE');

    const events = (await outbox(life.db.orm.em, license.id)).map((m) => m.event);
    expect(events).toEqual(['payment_failed', 'license_suspended', 'license_renewed', 'license_suspended']);
    const actions = (await life.db.orm.em.fork().find(AuditEvent, { license: license.id }, { orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['license.past_due', 'license.suspended', 'license.renewed', 'license.suspended', 'license.reinstated']);
    expect(await continuedAsNew(life.env, handle)).toBe(true);
    await recordHistory(life.env.client, handle.workflowId, 'license-payment-failure-suspension-recovery', handle.firstExecutionRunId);
  });

  it('applies each billing event once and ignores facts older than what it already applied', async () => {
    const { license, handle, startedAt } = await step(life.env, 'n/a', 'start', start(), 20_000);
    const renewal = { eventId: 'evt_paid_dup', occurredAt: at(startedAt + 10_000), periodEnd: at(startedAt + 730 * DAY) };
    await step(life.env, handle.workflowId, 'five duplicate signals', Promise.all([1, 2, 3, 4, 5].map(() => handle.signal(paymentSucceededSignal, renewal))));
    // A failure created before that payment, delivered late.
    await step(life.env, handle.workflowId, 'late failure signal', handle.signal(paymentFailedSignal, { eventId: 'evt_fail_late', occurredAt: at(startedAt + 5_000) }));
    // An older renewal for a shorter period, delivered late.
    await step(life.env, handle.workflowId, 'old renewal signal', handle.signal(paymentSucceededSignal, { eventId: 'evt_paid_old', occurredAt: at(startedAt + 1_000), periodEnd: at(startedAt + 365 * DAY) }));
    await settle(life.env, handle.workflowId, (state) => state.appliedEventIds?.length === 3);

    expect(await ask(life.env, handle, stateQuery)).toMatchObject({ status: 'ACTIVE', expiresAt: at(startedAt + 730 * DAY) });
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'ACTIVE', expiresAt: new Date(startedAt + 730 * DAY) });
    expect((await outbox(life.db.orm.em, license.id)).map((m) => m.event)).toEqual(['license_renewed']);

    // A refund revokes; a renewal arriving after it changes nothing.
    await step(life.env, handle.workflowId, 'refund signal', handle.signal(refundedSignal, { eventId: 'evt_refund', occurredAt: at(startedAt + 20_000), reason: 'customer requested' }));
    await step(life.env, handle.workflowId, 'renewal after refund', handle.signal(paymentSucceededSignal, { eventId: 'evt_paid_after_refund', occurredAt: at(startedAt + 30_000), periodEnd: at(startedAt + 1095 * DAY) }));
    // The run's end, read once it is closed (the server does not always wake a result() already waiting).
    await waitUntilStatus(handle, 'REVOKED');
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'REVOKED', statusReason: 'refunded: customer requested' });
    expect(await continuedAsNew(life.env, handle)).toBe(true);
  });

  it('revokes during the payment grace, and the grace timer never suspends it afterwards', async () => {
    const { license, handle, startedAt } = await start();
    // A renewal first: the run continues as new at a settled point.
    await step(life.env, handle.workflowId, 'renewal signal', handle.signal(paymentSucceededSignal, { eventId: 'evt_paid_grace', occurredAt: at(startedAt + 500), periodEnd: at(startedAt + 730 * DAY) }));
    await settle(life.env, handle.workflowId, (state) => state.expiresAt === at(startedAt + 730 * DAY));
    await step(life.env, handle.workflowId, 'failure signal', handle.signal(paymentFailedSignal, { eventId: 'evt_fail_grace', occurredAt: at(startedAt + 1000) }));
    await waitUntilStatus(handle, 'PAST_DUE');
    await step(life.env, handle.workflowId, 'revoke update', handle.executeUpdate(revokeUpdate, { args: [{ actor: 'admin:cs', reason: 'chargeback' }] }));
    await waitUntilStatus(handle, 'REVOKED');
    // The workflow is closed: no grace timer is left to fire.
    expect((await life.env.client.workflow.getHandle(handle.workflowId).describe()).status.name).toBe('COMPLETED');
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'REVOKED', statusReason: 'chargeback' });
    expect((await outbox(life.db.orm.em, license.id)).map((m) => m.event)).toEqual(['license_renewed', 'payment_failed', 'license_revoked']);
    expect(await continuedAsNew(life.env, handle)).toBe(true);
    await recordHistory(life.env.client, handle.workflowId, 'license-revoke-in-grace', handle.firstExecutionRunId);
  });

  it('schedules a downgrade for the end of the period and applies it then, on the same key', async () => {
    const { license, handle, startedAt, plan } = await start();
    const id = handle.workflowId;
    const basic = await insertPlan(life.db.orm.em, { seatLimit: 1 }, 'basic');
    const state = await step(life.env, id, 'the plan change update', handle.executeUpdate(changePlanUpdate, {
      args: [{ actor: 'admin:cs', reason: 'customer downgraded', planId: basic.id, planCode: 'basic', policy: { expiryGraceDays: 0, paymentGraceDays: 7, reminderOffsetsDays: [30] }, effective: 'period_end' }],
    }));
    const periodEnd = startedAt + 365 * DAY;
    expect(state.scheduledPlanChange).toMatchObject({ planCode: 'basic', effectiveAt: at(periodEnd) });
    expect(upcomingDeadlines(state).map((d) => d.kind)).toContain('plan_change');
    // Still on the old plan until then; the renewal payment arrives first.
    await step(life.env, id, 'skipping 300 days', life.env.sleep(300 * DAY));
    await step(life.env, id, 'settling after 300 days', settle(life.env, id, () => true));
    expect((await row(life.db.orm.em, license.id)).plan.id).toBe(plan.id);
    await step(life.env, id, 'the renewal payment signal', handle.signal(paymentSucceededSignal, { eventId: 'evt_period_2', occurredAt: at(startedAt + 300 * DAY), periodEnd: at(periodEnd + 365 * DAY) }));
    await step(life.env, id, 'settling on the renewal', settle(life.env, id, (state) => state.expiresAt === at(periodEnd + 365 * DAY)));
    await step(life.env, id, 'skipping 70 days', life.env.sleep(70 * DAY));
    const after = await row(life.db.orm.em, license.id);
    expect(after.plan.id).toBe(basic.id);
    expect(after.status).toBe('ACTIVE');
    expect(await step(life.env, id, 'the state query', ask(life.env, handle, stateQuery))).toMatchObject({ plan: 'basic', scheduledPlanChange: null, policy: { reminderOffsetsDays: [30] } });
    expect(await continuedAsNew(life.env, handle)).toBe(true);
    await recordHistory(life.env.client, id, 'license-scheduled-downgrade', handle.firstExecutionRunId);
  });

  it('rejects operations that make no sense in the current state, with a clear message', async () => {
    const { handle } = await start();
    const attempt = handle.executeUpdate(reinstateUpdate, { args: [{ actor: 'admin:cs', reason: 'oops' }] });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await attempt.catch((error: WorkflowUpdateFailedError) => {
      expect(error.cause).toMatchObject({ type: 'NOT_SUSPENDED', message: 'only a suspended license can be reinstated; this one is ACTIVE', nonRetryable: true });
    });
    await handle.terminate('test done');
  });
});
