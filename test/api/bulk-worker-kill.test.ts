import { randomBytes } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const DAY_MS = 86_400_000;
const LICENSES = 40;

/**
 * The worker that runs a bulk operation (and the licenses' workflows) is killed with SIGKILL
 * mid-run, then another starts: the operation finishes, and every license was changed exactly
 * once (one audit row carrying the operation's id, the row version one higher, the new date).
 */
describe('a bulk operation survives its worker being killed', () => {
  let stack: ApiStack;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    stack = await startApiStack({ worker: false, app: { bulkRatePerSecond: 4 } });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await stack?.close();
  });

  it('finishes with each license changed exactly once', async () => {
    workers.push(await startWorkerProcess(stack));
    process.stderr.write('worker A running\n');
    const plan = await createPlan(stack);
    const ids: string[] = [];
    for (let i = 0; i < LICENSES; i++) {
      const created = await stack.request('POST', '/v1/licenses', {
        body: { plan_id: plan.id, customer: { email: `kill-${randomBytes(4).toString('hex')}@example.com` }, expires_at: '2030-06-01T00:00:00Z' },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    // Every license's workflow has written its first state before the run (their versions are the baseline).
    const versions = async () => new Map((await stack.db.orm.em.fork().execute<{ id: string; version: number }[]>(`select id, version from license where id = any(?::uuid[])`, [`{${ids.join(',')}}`])).map((row) => [row.id, row.version]));
    const before = await versions();

    const started = await stack.request('POST', '/v1/bulk-operations', {
      body: { selection: { type: 'filter', plan: plan.code }, operation: { type: 'extend_expiry', days: 10 }, reason: 'goodwill after an outage' },
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const progress = async () => (await stack.request('GET', `/v1/bulk-operations/${id}?limit=1`)).body;

    // Killed once some licenses have changed and others have not: mid-run.
    await eventually(async () => ((await progress()).counts.applied >= 3 ? true : undefined), { timeoutMs: 120_000, what: 'the first licenses to change' });
    process.stderr.write('killing worker A\n');
    await workers[0]!.kill();
    expect((await progress()).status).toBe('RUNNING');
    workers.push(await startWorkerProcess(stack));
    process.stderr.write('worker B running\n');

    const done = await eventually(
      async () => {
        const answer = await progress();
        return answer.status === 'COMPLETED' ? answer : undefined;
      },
      { timeoutMs: 240_000, what: 'the operation to finish after the restart' },
    );
    expect(done.counts).toEqual({ pending: 0, applied: LICENSES, skipped: 0, failed: 0, cancelled: 0 });

    const audit = await stack.db.orm.em.fork().execute<{ license_id: string; rows: string }[]>(
      `select license_id, count(*) as rows from audit_event where after ->> 'bulk_operation_id' = ? group by license_id`,
      [id],
    );
    expect(audit).toHaveLength(LICENSES);
    expect(audit.filter((row) => row.rows !== '1')).toEqual([]);
    const after = await versions();
    expect(ids.filter((license) => after.get(license) !== before.get(license)! + 1)).toEqual([]);
    const expiries = await stack.db.orm.em.fork().execute<{ expires_at: Date | string }[]>(`select expires_at from license where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
    const expected = new Date(Date.parse('2030-06-01T00:00:00Z') + 10 * DAY_MS).toISOString();
    expect(expiries.filter((row) => new Date(row.expires_at).toISOString() !== expected)).toEqual([]);
  }, 8 * 60_000);
});
