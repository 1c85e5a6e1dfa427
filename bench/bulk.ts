/**
 * `npm run bench:bulk` (also part of `npm run bench`): a bulk change over BENCH_BULK_LICENSES
 * licenses (default 10,000) with the Temporal dev server, in licenses per second. Each license
 * has its own workflow (started from its row first, timed apart); the operation (extend expiry
 * by 30 days) is recorded and planned like the API's, then its workflow (`bulk-<id>`) sends each
 * license's update through that license's workflow, exactly once, with BENCH_BULK_RATE as its
 * pace (default 1000/s: the cap, so the figure is what the machine does, not the pacing). One
 * worker in this process, as `npm start` runs one; real Postgres (embedded, durable defaults).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemActor } from '../domain/audit/audit-actor.ts';
import { startBulkOperation } from '../domain/bulk/start-bulk-operation.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres.ts';
import { createLogger } from '../lib/logger.ts';
import { OUTREACH_WITHOUT_PROVIDERS } from '../lib/outreach-config.ts';
import { freePort } from '../lib/ports.ts';
import { ServerSecret } from '../lib/server-secret.ts';
import { resolveTemporalCli } from '../lib/temporal-binaries.ts';
import { connectClient } from '../lib/temporal-connection.ts';
import { startTemporalDevServer, type RunningDevServer } from '../lib/temporal-dev-server.ts';
import { migrate, openOrm } from '../schema/orm.ts';
import { LifecycleClient } from '../temporal/lifecycle-client.ts';
import { runLicenseWorker } from '../worker/run-worker.ts';
import { seedLicenses } from './seed.ts';

const int = (name: string, fallback: number) => (process.env[name] ? Number.parseInt(process.env[name]!, 10) : fallback);
const LICENSES = int('BENCH_BULK_LICENSES', 10_000);
const RATE = int('BENCH_BULK_RATE', 1000);
/** License workflows started at once while preparing (not measured in the figure). */
const START_CONCURRENCY = 50;
const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let postgres: RunningPostgres | undefined;
let temporal: RunningDevServer | undefined;
let root: string | undefined;

async function main() {
  root = mkdtempSync(path.join(os.tmpdir(), 'keywarden-bench-bulk-'));
  chmodSync(root, 0o755);
  const toolsDir = path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? '.tools');
  const cli = await resolveTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH, log });
  if (!cli.path) throw new Error(`no Temporal CLI for the dev server (${cli.detail})`);
  [postgres, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port: await freePort(), database: 'keywarden_bench' }),
    startTemporalDevServer({ cliPath: cli.path, dataDir: path.join(root, 'temporal'), port: await freePort(), uiPort: 0, namespace: 'default', headless: true }),
  ]);
  const orm = await openOrm({ url: postgres.url, poolMax: 20 });
  const client = await connectClient({ address: temporal.address, namespace: 'default' });
  let worker: Awaited<ReturnType<typeof runLicenseWorker>> | undefined;
  try {
    await migrate(orm);
    const secret = new ServerSecret(randomBytes(32));
    const seeded = await seedLicenses(postgres.url, secret, LICENSES);
    const taskQueue = 'keywarden-bench-bulk';
    const lifecycle = new LifecycleClient({ client, em: orm.em, taskQueue, callTimeoutMs: 60_000 });
    // The production worker (npm run worker): it registers the search attributes; no schedules.
    worker = await runLicenseWorker({
      em: orm.em,
      logger: createLogger('warn', 'bench-worker'),
      temporal: { address: temporal.address, namespace: 'default' },
      taskQueue,
      schedules: { reconcileEvery: null },
      delivery: { outreach: OUTREACH_WITHOUT_PROVIDERS },
      callTimeoutMs: 60_000,
    });

    const ids = (await orm.em.fork().execute<{ id: string }[]>(`select id from license order by created_at, id`)).map((row) => row.id);
    const startedAt = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async () => {
        while (next < ids.length) await lifecycle.startFromRow(ids[next++]!, new Date());
      }),
    );
    const started = performance.now();
    // The workflows' first tasks queue up behind the starts: wait until the last ones have run, so
    // that the figure below is the bulk change's alone, not this backlog draining.
    const last = ids.slice(-5);
    while ((await Promise.all(last.map((license) => lifecycle.describe(license)))).some((snapshot) => !snapshot.found || snapshot.busy)) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    log(
      `Bulk bench: ${LICENSES.toLocaleString('en-US')} licenses seeded in ${seconds(seeded.ms)}, their workflows started in ${seconds(started - startedAt)} ` +
        `and idle ${seconds(performance.now() - started)} later (${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version})`,
    );

    // The operation: recorded and planned as POST /v1/bulk-operations does it, then run by its workflow.
    const planned = performance.now();
    const id = await startBulkOperation(
      { em: orm.em, bulkOperations: lifecycle, ratePerSecond: RATE },
      {
        selection: { type: 'filter', product: 'bench' },
        operation: { type: 'extend_expiry', days: 30 },
        reason: 'bench: extend every license by 30 days',
        actor: systemActor('bench'),
        licenseActor: 'system:bench',
        origin: { ip: null, userAgent: null },
      },
    );
    const recorded = performance.now();
    let finished: { status: string; applied: number } | undefined;
    let lastLog = recorded;
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const [row] = await orm.em.fork().execute<{ status: string; finished_at: Date | null; applied: string }[]>(
        `select o.status, o.finished_at, (select count(*) from bulk_operation_item i where i.bulk_operation_id = o.id and i.status = 'APPLIED') as applied from bulk_operation o where o.id = ?`,
        [id],
      );
      if (row?.finished_at) finished = { status: row.status, applied: Number(row.applied) };
      else if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  … ${Number(row?.applied ?? 0).toLocaleString('en-US')} applied after ${seconds(lastLog - recorded)}`);
      }
    }
    const ran = performance.now() - recorded;
    const [audit] = await orm.em.fork().execute<{ rows: string; licenses: string }[]>(
      `select count(*) as rows, count(distinct license_id) as licenses from audit_event where after ->> 'bulk_operation_id' = ?`,
      [id],
    );
    if (finished.status !== 'COMPLETED' || finished.applied !== LICENSES || Number(audit!.rows) !== LICENSES || Number(audit!.licenses) !== LICENSES) {
      throw new Error(`sanity check failed: ${finished.status}, ${finished.applied} applied, ${audit!.rows} audit rows on ${audit!.licenses} licenses (expected ${LICENSES} of each)`);
    }
    log(`Bulk change (extend expiry by 30 days) over ${LICENSES.toLocaleString('en-US')} licenses, pace cap ${RATE}/s, one worker:`);
    log(`  planned and recorded in ${seconds(recorded - planned)}; applied in ${seconds(ran)}: ${(LICENSES / (ran / 1000)).toFixed(1)} licenses per second (load average ${os.loadavg()[0]!.toFixed(1)})`);
    log(`  each license changed exactly once: ${Number(audit!.rows).toLocaleString('en-US')} audit rows with the operation's id, one per license`);
  } finally {
    await worker?.shutdown().catch(() => undefined);
    await client.connection.close().catch(() => undefined);
    await orm.close(true);
  }
}

try {
  await main();
} catch (error) {
  log(`bulk bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await temporal?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  if (root) rmSync(root, { recursive: true, force: true });
}
