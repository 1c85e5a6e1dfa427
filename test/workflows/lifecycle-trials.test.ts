import { extendTrialUpdate, paymentSucceededSignal, stateQuery } from '../../workflows/messages.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { continuedAsNew, DAY, day, outbox, row, settle, startLifecycle, startLifecycleEnvironment, type LifecycleEnvironment, lifecycleRetries, ask } from '../support/lifecycle.ts';

const at = (ms: number) => new Date(ms).toISOString();

lifecycleRetries();

describe('trials, and a worker restart mid-life (time-skipping)', () => {
  let life: LifecycleEnvironment;

  // A fresh server for every test, so a retry never inherits a wedged one (see lifecycleRetries).
  beforeEach(async () => {
    life = await startLifecycleEnvironment();
  });
  afterEach(async () => {
    await life?.close();
  });

  const startTrial = async (trialDays: number) => {
    const now = await life.env.currentTimeMs();
    return startLifecycle(life.env, life.db.orm.em, life.secret, life.taskQueue, { row: { status: 'TRIALING', expiresAt: null, trialEndsAt: new Date(now + trialDays * DAY) } });
  };

  it('extends a trial, reminds before its new end, then converts it on payment (same key)', async () => {
    const { license, handle, startedAt } = await startTrial(14);
    await life.env.sleep(10 * DAY);
    const extendedTo = startedAt + 30 * DAY;
    const extended = await handle.executeUpdate(extendTrialUpdate, { args: [{ actor: 'admin:sales', reason: 'evaluation needs two more weeks', until: at(extendedTo) }] });
    expect(extended).toMatchObject({ status: 'TRIALING', trialEndsAt: at(extendedTo) });
    expect((await row(life.db.orm.em, license.id)).trialEndsAt?.toISOString()).toBe(at(extendedTo));

    await life.env.sleep(extendedTo - 2 * DAY + 60_000 - (await life.env.currentTimeMs()));
    await settle(life.env, handle.workflowId, () => true);
    await handle.signal(paymentSucceededSignal, { eventId: 'evt_convert', occurredAt: at(extendedTo - 2 * DAY), periodEnd: at(extendedTo + 365 * DAY) });
    const converted = await settle(life.env, handle.workflowId, (state) => state.status === 'ACTIVE');
    expect(converted.expiresAt).toBe(at(extendedTo + 365 * DAY));
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'ACTIVE', keyHash: license.keyHash });

    const sent = (await outbox(life.db.orm.em, license.id)).map((m) => [m.event, m.daysBefore, m.firedOn]);
    expect(sent).toEqual([
      ['trial_ending', 3, day(extendedTo - 3 * DAY)],
      ['license_renewed', null, day(extendedTo - 2 * DAY)],
    ]);
    expect(await continuedAsNew(life.env, handle)).toBe(true);
    await recordHistory(life.env.client, handle.workflowId, 'license-trial-converted', handle.firstExecutionRunId);
  });

  it('expires a trial that is not converted, with TRIAL_EXPIRED semantics', async () => {
    const { license, handle, startedAt } = await startTrial(7);
    await life.env.sleep(8 * DAY);
    const final = await settle(life.env, handle.workflowId, (state) => state.status === 'EXPIRED');
    expect(final.statusReason).toBe('trial ended without a purchase');
    expect(await row(life.db.orm.em, license.id)).toMatchObject({ status: 'EXPIRED', expiresAt: null });
    const sent = (await outbox(life.db.orm.em, license.id)).map((m) => [m.event, m.daysBefore, m.firedOn]);
    expect(sent).toEqual([
      ['trial_ending', 3, day(startedAt + 4 * DAY)],
      ['trial_ending', 1, day(startedAt + 6 * DAY)],
      ['license_expired', null, day(startedAt + 7 * DAY)],
    ]);
    expect(await continuedAsNew(life.env, handle)).toBe(true);
  });

  it('keeps its state and timers across a worker restart', async () => {
    const { license, handle, startedAt } = await startLifecycle(life.env, life.db.orm.em, life.secret, life.taskQueue, { policy: { reminderOffsetsDays: [30, 7] } });
    const expiry = startedAt + 365 * DAY;
    await life.env.sleep(expiry - 20 * DAY - startedAt);
    await settle(life.env, handle.workflowId, () => true);
    await life.restartWorker();
    await life.env.sleep(21 * DAY);
    const final = await settle(life.env, handle.workflowId, (state) => state.status === 'EXPIRED');
    expect(final).toMatchObject({ licenseId: license.id, expiresAt: at(expiry) });
    expect((await outbox(life.db.orm.em, license.id)).map((m) => [m.event, m.daysBefore, m.firedOn])).toEqual([
      ['renewal_reminder', 30, day(expiry - 30 * DAY)],
      ['renewal_reminder', 7, day(expiry - 7 * DAY)],
      ['license_expired', null, day(expiry)],
    ]);
    expect(await ask(life.env, handle, stateQuery)).toMatchObject({ status: 'EXPIRED' });
    expect(await continuedAsNew(life.env, handle)).toBe(true);
  });
});
