import { paymentSucceededSignal, renewUpdate, stateQuery, timelineQuery } from '../../workflows/messages.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { continuedAsNew, DAY, day, outbox, row, settle, startLifecycle, startLifecycleEnvironment, type LifecycleEnvironment, lifecycleRetries, ask } from '../support/lifecycle.ts';

lifecycleRetries();

describe('an annual license over three years (time-skipping)', () => {
  let life: LifecycleEnvironment;

  // A fresh server for every test, so a retry never inherits a wedged one (see lifecycleRetries).
  beforeEach(async () => {
    life = await startLifecycleEnvironment();
  });
  afterEach(async () => {
    await life?.close();
  });

  it('sends each renewal reminder on its exact day, renews twice on the same key, then expires after its grace', async () => {
    const { env, db, secret, taskQueue } = life;
    const { license, handle, startedAt } = await startLifecycle(env, db.orm.em, secret, taskQueue, { policy: { expiryGraceDays: 3 } });
    const year1 = startedAt + 365 * DAY;
    const year2 = year1 + 365 * DAY;
    const year3 = year2 + 365 * DAY;

    const timeline = await ask(env, handle, timelineQuery);
    expect(timeline.map((d) => [d.kind, d.offsetDays ?? null, day(d.at)])).toEqual([
      ['renewal_reminder', 90, day(year1 - 90 * DAY)],
      ['renewal_reminder', 30, day(year1 - 30 * DAY)],
      ['renewal_reminder', 14, day(year1 - 14 * DAY)],
      ['renewal_reminder', 7, day(year1 - 7 * DAY)],
      ['renewal_reminder', 0, day(year1)],
      ['expiry', null, day(year1)],
      ['expiry_grace_end', null, day(year1 + 3 * DAY)],
    ]);

    // Year 1: Stripe's renewal payment arrives two days before the term ends.
    await env.sleep(year1 - 2 * DAY - (await env.currentTimeMs()));
    await handle.signal(paymentSucceededSignal, { eventId: 'evt_renewal_1', occurredAt: new Date(year1 - 2 * DAY).toISOString(), periodEnd: new Date(year2).toISOString() });
    await settle(env, handle.workflowId, (state) => state.expiresAt === new Date(year2).toISOString());
    // Year 2: staff renew by hand a week before the end.
    await env.sleep(year2 - 7 * DAY + 60_000 - (await env.currentTimeMs()));
    await settle(env, handle.workflowId, () => true);
    const renewed = await handle.executeUpdate(renewUpdate, { args: [{ actor: 'admin:cs', reason: 'renewed by purchase order', until: new Date(year3).toISOString() }] });
    expect(renewed).toMatchObject({ status: 'ACTIVE', expiresAt: new Date(year3).toISOString() });
    // Year 3: no renewal.
    await env.sleep(year3 + 4 * DAY - (await env.currentTimeMs()));

    const sent = (await outbox(db.orm.em, license.id)).map((m) => [m.event, m.daysBefore, m.firedOn]);
    expect(sent).toEqual([
      ['renewal_reminder', 90, day(year1 - 90 * DAY)],
      ['renewal_reminder', 30, day(year1 - 30 * DAY)],
      ['renewal_reminder', 14, day(year1 - 14 * DAY)],
      ['renewal_reminder', 7, day(year1 - 7 * DAY)],
      ['license_renewed', null, day(year1 - 2 * DAY)],
      ['renewal_reminder', 90, day(year2 - 90 * DAY)],
      ['renewal_reminder', 30, day(year2 - 30 * DAY)],
      ['renewal_reminder', 14, day(year2 - 14 * DAY)],
      ['renewal_reminder', 7, day(year2 - 7 * DAY)],
      ['license_renewed', null, day(year2 - 7 * DAY)],
      ['renewal_reminder', 90, day(year3 - 90 * DAY)],
      ['renewal_reminder', 30, day(year3 - 30 * DAY)],
      ['renewal_reminder', 14, day(year3 - 14 * DAY)],
      ['renewal_reminder', 7, day(year3 - 7 * DAY)],
      ['renewal_reminder', 0, day(year3)],
      ['license_expired', null, day(year3 + 3 * DAY)],
    ]);

    const final = await row(db.orm.em, license.id);
    expect(final).toMatchObject({ status: 'EXPIRED', statusReason: 'term ended without renewal' });
    expect(final.expiresAt?.toISOString()).toBe(new Date(year3).toISOString());
    expect(await ask(env, handle, stateQuery)).toMatchObject({ status: 'EXPIRED', expiresAt: new Date(year3).toISOString() });
    expect(await continuedAsNew(env, handle)).toBe(true);
    await recordHistory(env.client, handle.workflowId, 'license-three-year-renewals', handle.firstExecutionRunId);
  });
});
