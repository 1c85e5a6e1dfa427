import { randomUUID } from 'node:crypto';
import { ensureLicenseSchedules, SEAT_SNAPSHOT_SCHEDULE_ID } from '../../worker/license-schedules.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { insertLicense } from '../support/licenses.ts';
import { eventually } from '../support/poll.ts';

/** The seat usage trend's data: a daily Temporal Schedule whose workflow records every license's seats. */
describe('the seat-snapshot schedule', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.temporal.schedule.getHandle(SEAT_SNAPSHOT_SCHEDULE_ID).delete().catch(() => undefined);
    await stack?.close();
  });

  it('is created at start-up, and its run records each license’s seats in use and limit for the day', async () => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret, {}, { seatLimit: 4 });
    const now = new Date();
    for (const [fingerprint, ended] of [['a', false], ['b', false], ['c', true]] as const) {
      await stack.db.orm.em.fork().execute(
        `insert into activation (id, license_id, fingerprint, kind, first_seen_at, last_seen_at, deactivated_at) values (?, ?, ?, 'MACHINE', ?, ?, ?)`,
        [randomUUID(), license.id, fingerprint, now, now, ended ? now : null],
      );
    }
    const settings = { reconcileEvery: null, stripeReconcileCron: null, abuseCheckEvery: null };
    expect((await ensureLicenseSchedules(stack.temporal, stack.taskQueue, { ...settings, seatSnapshots: true }))[SEAT_SNAPSHOT_SCHEDULE_ID]).toBe('created');
    const handle = stack.temporal.schedule.getHandle(SEAT_SNAPSHOT_SCHEDULE_ID);
    expect((await handle.describe()).action).toMatchObject({ type: 'startWorkflow', workflowType: 'seatSnapshotWorkflow', taskQueue: stack.taskQueue });

    await handle.trigger();
    const day = new Date().toISOString().slice(0, 10);
    const row = await eventually(
      async () => (await stack.db.orm.em.fork().execute<{ seats_in_use: number; seat_limit: number }[]>(`select seats_in_use, seat_limit from license_seat_day where license_id = ? and day = ?`, [license.id, day]))[0],
      { timeoutMs: 60_000, what: 'the seat snapshot' },
    );
    expect(row).toEqual({ seats_in_use: 2, seat_limit: 4 });

    expect((await ensureLicenseSchedules(stack.temporal, stack.taskQueue, { ...settings, seatSnapshots: false }))[SEAT_SNAPSHOT_SCHEDULE_ID]).toBe('deleted');
  });
});
