import { jest } from '@jest/globals';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type QueryDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { License, OutboxMessage } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import type { LicensePolicy } from '../../schema/plan/plan-policy.ts';
import type { LicenseState, LifecyclePolicy } from '../../workflows/license-state.ts';
import { workflowIdFor } from '../../workflows/license-state.ts';
import type { licenseWorkflow } from '../../workflows/license.workflow.ts';
import { runStatusQuery, stateQuery } from '../../workflows/messages.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { Worker } from '@temporalio/worker';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';
import { registerSearchAttributes } from '../../temporal/search-attribute-registration.ts';
import { createLicenseWorker } from '../../worker/worker.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertLicense, testSecret, workflowInputFor } from './licenses.ts';
import { createTimeSkippingEnvironment, testLogger, uniqueTaskQueue } from './temporal.ts';

export const DAY = 86_400_000;
export const day = (ms: number | string) => new Date(ms).toISOString().slice(0, 10);

/** A license row and its running workflow, on the time-skipping server's clock. */
export async function startLifecycle(
  env: TestWorkflowEnvironment,
  em: EntityManager,
  secret: ServerSecret,
  taskQueue: string,
  options: { row?: Partial<LicenseEntity>; policy?: Partial<LicensePolicy>; state?: Partial<LicenseState> } = {},
) {
  const now = await env.currentTimeMs();
  const { license, plan, customerEmail } = await insertLicense(em, secret, { expiresAt: new Date(now + 365 * DAY), ...options.row }, options.policy);
  const policy: LifecyclePolicy = {
    expiryGraceDays: options.policy?.expiryGraceDays ?? 0,
    paymentGraceDays: options.policy?.paymentGraceDays ?? 7,
    reminderOffsetsDays: options.policy?.reminderOffsetsDays ?? [90, 30, 14, 7, 0],
  };
  const input: LicenseState = {
    ...workflowInputFor(license, plan.code, customerEmail),
    planId: plan.id,
    policy,
    periodStartedAt: new Date(now).toISOString(),
    // Small runs, so every lifecycle test passes through continue-as-new.
    eventsPerRun: 2,
    ...options.state,
  };
  const handle = await env.client.workflow.start<typeof licenseWorkflow>('licenseWorkflow', { workflowId: workflowIdFor(license.id), taskQueue, args: [input] });
  return { license, plan, handle, startedAt: now, input };
}

export async function outbox(em: EntityManager, licenseId: string) {
  const rows = await em.fork().find(OutboxMessage, { license: licenseId }, { orderBy: { createdAt: 'asc' } });
  return rows.map((row) => ({ event: row.event, daysBefore: (row.payload.days_before as number | undefined) ?? null, firedOn: day(row.payload.fired_at as string), key: row.idempotencyKey, recipient: row.recipient }));
}

export async function row(em: EntityManager, id: string) {
  return em.fork().findOneOrFail(License, { id });
}

/** True once the workflow has continued as new at least once. */
export async function continuedAsNew(env: TestWorkflowEnvironment, handle: { workflowId: string; firstExecutionRunId: string }): Promise<boolean> {
  const latest = await env.client.workflow.getHandle(handle.workflowId).describe();
  return latest.runId !== handle.firstExecutionRunId;
}

export interface LifecycleEnvironment {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  secret: ServerSecret;
  taskQueue: string;
  worker: Worker;
  /** Replaces the running worker with a new one (a restart). */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Time-skipping server, private database, and a license worker whose activities use it. */
export async function startLifecycleEnvironment(): Promise<LifecycleEnvironment> {
  const [env, db] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  await registerSearchAttributes(env.connection, 'default');
  const taskQueue = uniqueTaskQueue('lifecycle');
  const secret = testSecret();
  // No workflow cache, hence no sticky task queue: the time-skipping server never moves a task
  // off a stopped worker's sticky queue (a real server does after 5 s), which a restart needs.
  // Every task then replays the history, which also checks determinism at each step.
  const make = () =>
    createLicenseWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      em: db.orm.em,
      logger: testLogger,
      delivery: { outreach: OUTREACH_WITHOUT_PROVIDERS },
      startDeliveries: false,
      overrides: { maxCachedWorkflows: 0 },
    });
  let worker = await make();
  let running = worker.run();
  const result: LifecycleEnvironment = {
    env,
    db,
    secret,
    taskQueue,
    worker,
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await make();
      running = worker.run();
      result.worker = worker;
    },
    async close() {
      worker.shutdown();
      // A worker wedged by a hung run must not keep the server (and its JVM) alive.
      await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await env.teardown();
      await db.drop();
    },
  };
  return result;
}

async function closedRunResult(handle: { fetchHistory(): Promise<{ events?: Array<{ workflowExecutionCompletedEventAttributes?: { result?: { payloads?: unknown[] | null } | null } | null }> | null }> }) {
  const events = (await handle.fetchHistory()).events ?? [];
  const payload = events[events.length - 1]?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<LicenseState>(payload as never) : undefined;
}

/** Workflow task events in a history: scheduled, started, completed, timed out, failed (temporal.api.enums.v1.EventType). */
const WORKFLOW_TASK_EVENTS = new Set([5, 6, 7, 8, 9]);
const WORKFLOW_TASK_COMPLETED = 7;

type RunDescription = Awaited<ReturnType<WorkflowHandle['describe']>>;
type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/** Running, with no activity pending: the half of `quiet` the description can tell. */
function runningWithoutActivities(description: RunDescription): boolean {
  return description.status.name === 'RUNNING' && !description.raw.pendingActivities?.length;
}

/** The run's last workflow task has completed: the half of `quiet` only the history can tell. */
function lastTaskCompleted(events: HistoryEvents): boolean {
  return Number(events.findLast((event) => WORKFLOW_TASK_EVENTS.has(Number(event.eventType)))?.eventType) === WORKFLOW_TASK_COMPLETED;
}

/**
 * True when the workflow's current run has no workflow task and no activity under way, read from
 * its history: the Java time-skipping server's DescribeWorkflowExecution never reports a pending
 * workflow task. Such a run moves again only on a signal, an update, or a timer, and this
 * server's clock stands still between the test's sleeps. Ask a query only then: one that reaches a
 * run while a workflow task is under way waits for that task, and when the task continues the
 * run as new, this server loses the task's time-skipping lock, and the next sleep never ends
 * (seen on a loaded machine, with the server's lock trace: `completeWorkflowTask` never unlocked).
 */
export async function quiet(env: TestWorkflowEnvironment, workflowId: string): Promise<{ status: string; quiet: boolean; runId: string }> {
  const description = await env.client.workflow.getHandle(workflowId).describe();
  const run = { status: description.status.name, runId: description.runId };
  if (!runningWithoutActivities(description)) return { ...run, quiet: false };
  const events = (await env.client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events ?? [];
  return { ...run, quiet: lastTaskCompleted(events) };
}

/**
 * Waits until the workflow's current run is quiet (see `quiet`) and satisfies `check`, so the
 * next signal or update lands on a settled run. The state is queried only once the run is quiet:
 * the time-skipping server can lose a query, signal or update that reaches a run while it is
 * continuing as new (a real server carries them over), and a lost query also stops its clock.
 */
export async function settle(
  env: TestWorkflowEnvironment,
  workflowId: string,
  check: (state: LicenseState) => boolean,
  timeoutMs = 15_000,
): Promise<LicenseState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await quiet(env, workflowId);
    const handle = env.client.workflow.getHandle(workflowId, run.runId);
    if (run.status === 'RUNNING') {
      if (run.quiet) {
        // A query the server loses never answers: ask again on the next round instead.
        // (A deadline, not a race: an abandoned call would be retried after this test's server is gone.)
        const answered = await env.client
          .withDeadline(Date.now() + 3_000, () => Promise.all([handle.query(stateQuery), handle.query(runStatusQuery)]))
          .catch(() => undefined);
        if (answered && answered[1].idle && check(answered[0])) return answered[0];
      }
    } else if (run.status !== 'CONTINUED_AS_NEW') {
      // Closed: its result is in the history's last event. (Not result(): a long poll the
      // server may never wake, whose retries would outlive this test's server.)
      const state = await closedRunResult(handle);
      if (state && check(state)) return state;
    }
    if (Date.now() > deadline) throw new Error(`license workflow ${workflowId} did not settle in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Awaits one step of a scenario, failing after `ms` with the workflow's latest history events
 * (a hung step otherwise only shows as the test's own timeout, with no clue where it stopped).
 */
export async function step<T>(env: TestWorkflowEnvironment, workflowId: string, what: string, work: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      let events = '';
      const diagnose = async () => {
        const handle = env.client.workflow.getHandle(workflowId);
        const description = await handle.describe();
        const events = (await env.client.workflow.getHandle(workflowId, description.runId).fetchHistory()).events ?? [];
        const types = events.slice(-15).map((event) => `${event.eventId}:${String(event.eventType)}`);
        return ` — run ${description.runId} ${description.status.name}, quiet ${runningWithoutActivities(description) && lastTaskCompleted(events)}, last events ${types.join(' ')}`;
      };
      try {
        events = await Promise.race([diagnose(), new Promise<string>((resolve) => setTimeout(() => resolve(' — the server did not answer describe either'), 5_000))]);
      } catch (error) {
        events = ` — could not describe it: ${(error as Error).message}`;
      }
      reject(new Error(`${what} did not finish in ${ms} ms${events}`));
    }, ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Java time-skipping server's continue-as-new is not atomic (temporalio/sdk-java#1538): a
 * signal, update or query that reaches a run while it continues as new is now and then lost,
 * and the run (and the server's clock) waits for ever. A real server carries such messages over;
 * the dev-server tests of the same operations never see this. The helpers here query only a quiet
 * run (`quiet`), which removed the one such hang a loaded machine reproduced every time (a query
 * during the task that continued as new); each scenario still gets its own server, fails fast
 * (90 s) when wedged, and is retried on a fresh one, with the failure logged.
 */
export function lifecycleRetries(): void {
  jest.retryTimes(3, { logErrorsBeforeRetry: true });
  jest.setTimeout(90_000);
}

/**
 * A query that the server may lose (see lifecycleRetries), asked once the run is quiet (see
 * `quiet`) under a 3 s deadline, again until it is answered or `timeoutMs` has passed.
 */
export async function ask<T>(env: TestWorkflowEnvironment, handle: Pick<WorkflowHandle, 'workflowId'>, query: QueryDefinition<T, []>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const run = await quiet(env, handle.workflowId);
      if (run.quiet || run.status !== 'RUNNING') {
        return await env.client.withDeadline(Date.now() + 3_000, () => env.client.workflow.getHandle(handle.workflowId, run.runId).query(query));
      }
      if (Date.now() > deadline) throw new Error(`license workflow ${handle.workflowId} was not quiet within ${timeoutMs} ms, so it was not asked`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
