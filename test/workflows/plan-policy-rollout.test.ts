import { LifecycleClient } from '../../temporal/lifecycle-client.ts';
import { updatePlan } from '../../domain/plans/update-plan.ts';
import type { Acting } from '../../domain/staff/staff-deps.ts';
import { planPolicyRolloutWorkflowId } from '../../domain/plans/plan-policy-rollout.ts';
import { Plan } from '../../schema/entities.ts';
import { stateQuery } from '../../workflows/messages.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { ask, DAY, day, outbox, row, settle, startLifecycle, startLifecycleEnvironment, step, type LifecycleEnvironment, lifecycleRetries } from '../support/lifecycle.ts';

lifecycleRetries();

const acting: Acting = { actor: { type: 'staff', id: 'ada', label: 'ada@example.com' }, label: 'staff:ada@example.com', origin: null };

describe('a plan edit reaches the running licenses on the plan (time-skipping)', () => {
  let life: LifecycleEnvironment;

  // A fresh server for every test, so a retry never inherits a wedged one (see lifecycleRetries).
  beforeEach(async () => {
    life = await startLifecycleEnvironment();
  });
  afterEach(async () => {
    await life?.close();
  });

  let lastRollout = '';

  /** Edits the plan as PATCH /v1/plans/{id} does, and waits for its rollout to finish. */
  async function editPlan(planId: string, edit: Parameters<typeof updatePlan>[2]) {
    const rollouts = new LifecycleClient({ client: life.env.client, em: life.db.orm.em, taskQueue: life.taskQueue });
    const { plan, rolloutStarted } = await updatePlan({ em: life.db.orm.em, rollouts }, planId, edit, acting, 'renewal cadence review', async () => null);
    expect(rolloutStarted).toBe(true);
    const rollout = life.env.client.workflow.getHandle(planPolicyRolloutWorkflowId(planId, plan.updatedAt.toISOString()));
    lastRollout = rollout.workflowId;
    return step(life.env, rollout.workflowId, 'the rollout', rollout.result());
  }

  it('sends the new reminder offsets exactly once, never a reminder the edit placed in the past, and expires after the new grace', async () => {
    const { env, db, secret, taskQueue } = life;
    // One run for the whole scenario: the time-skipping server may lose a signal that reaches a
    // run while it continues as new (see lifecycleRetries); a real server carries it over.
    const { license, plan, handle, startedAt } = await startLifecycle(env, db.orm.em, secret, taskQueue, { state: { eventsPerRun: 500 } });
    const end = startedAt + 365 * DAY;

    // Before the first reminder: the plan's offsets become 60, 30 and 3 days.
    await env.sleep(end - 95 * DAY - (await env.currentTimeMs()));
    await settle(env, handle.workflowId, () => true);
    expect(await editPlan(plan.id, { reminder_offsets_days: [60, 30, 3] })).toEqual({ signalled: 1, notRunning: 0 });
    const first = await settle(env, handle.workflowId, (state) => JSON.stringify(state.policy?.reminderOffsetsDays) === '[60,30,3]');
    expect(first.policySource).toMatchObject({ planId: plan.id });

    // After the 60-day reminder: 90 comes back (already past: not sent late), 60 stays (sent:
    // not again), 3 goes; and the plan gains five days of grace after the term.
    await env.sleep(end - 50 * DAY - (await env.currentTimeMs()));
    await settle(env, handle.workflowId, () => true);
    expect(await editPlan(plan.id, { reminder_offsets_days: [90, 60, 30], expiry_grace_days: 5 })).toEqual({ signalled: 1, notRunning: 0 });
    await settle(env, handle.workflowId, (state) => state.policy?.expiryGraceDays === 5);

    await env.sleep(end + 6 * DAY - (await env.currentTimeMs()));
    await settle(env, handle.workflowId, (state) => state.status === 'EXPIRED');
    const sent = (await outbox(db.orm.em, license.id)).map((m) => [m.event, m.daysBefore, m.firedOn]);
    expect(sent).toEqual([
      ['renewal_reminder', 60, day(end - 60 * DAY)],
      ['renewal_reminder', 30, day(end - 30 * DAY)],
      ['license_expired', null, day(end + 5 * DAY)],
    ]);
    expect(await row(db.orm.em, license.id)).toMatchObject({ status: 'EXPIRED' });
    await recordHistory(env.client, handle.workflowId, 'license-plan-policy-changes', handle.firstExecutionRunId);
    await recordHistory(env.client, lastRollout, 'plan-policy-rollout');
  });

  it('moves the expiry of licenses that end on a fixed term end the plan moves, audited as the editor', async () => {
    const { env, db, secret, taskQueue } = life;
    const now = await env.currentTimeMs();
    const oldEnd = new Date(now + 200 * DAY).toISOString();
    const newEnd = new Date(now + 231 * DAY).toISOString();
    const { license, plan, handle } = await startLifecycle(env, db.orm.em, secret, taskQueue, {
      row: { expiresAt: new Date(oldEnd) },
      policy: { termKind: 'FIXED_END', termEndsAt: oldEnd },
      state: { eventsPerRun: 500 },
    });
    await settle(env, handle.workflowId, () => true);
    await editPlan(plan.id, { term_ends_at: newEnd });
    const moved = await settle(env, handle.workflowId, (state) => state.expiresAt === newEnd);
    expect(moved.status).toBe('ACTIVE');
    expect((await row(db.orm.em, license.id)).expiresAt?.toISOString()).toBe(newEnd);
    const [event] = await db.orm.em.fork().execute(`select actor, action, reason, before, after from audit_event where license_id = ? and action = 'license.expiry_set'`, [license.id]);
    expect(event).toMatchObject({ actor: 'staff:ada@example.com', reason: expect.stringContaining('term end moved'), before: { expiresAt: oldEnd }, after: { expiresAt: newEnd } });
    // A later edit that leaves the lifecycle alone starts no rollout, and the workflow keeps the latest policy.
    const renamed = await updatePlan({ em: db.orm.em, rollouts: { startPlanPolicyRollout: async () => { throw new Error('no rollout expected'); } } }, plan.id, { name: 'Academic year' }, acting, null, async () => null);
    expect(renamed.rolloutStarted).toBe(false);
    expect((await db.orm.em.fork().findOneOrFail(Plan, { id: plan.id })).name).toBe('Academic year');
    expect((await ask(env, handle, stateQuery)).expiresAt).toBe(newEnd);
  });
});
