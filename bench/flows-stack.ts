/**
 * The whole stack for the flow benchmarks (bench/flows.ts), as production runs it: a throw-away
 * Postgres, the Temporal dev server (lib/temporal-dev-server.ts), the worker and the API as
 * their own processes (bin/worker.ts, bin/api.ts), and a local Customer.io (HTTPS) that enforces
 * its rate limit with 429s (test/support/fake-providers.ts), which the worker trusts through
 * NODE_EXTRA_CA_CERTS.
 */
import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres.ts';
import { freePort } from '../lib/ports.ts';
import { resolveTemporalCli } from '../lib/temporal-binaries.ts';
import { startTemporalDevServer, type RunningDevServer } from '../lib/temporal-dev-server.ts';
import { migrate, openOrm } from '../schema/orm.ts';
import { fakeCustomerIo, selfSignedCertificate } from '../test/support/fake-providers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CUSTOMERIO = { siteId: 'bench-site', trackApiKey: 'bench-track-key', appApiKey: 'bench-app-key', licenseIssuedMessageId: '7' };

export interface FlowsStack {
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  secret: string;
  cio: ReturnType<typeof fakeCustomerIo>;
  /** The Stripe webhook's signing secret the API checks. */
  webhookSecret: string;
  adminToken: string;
  apiUrl: string;
  worker: ChildProcess;
  /** CPU seconds each part of the stack has used so far (processes and their children). */
  cpu(): Record<'temporal' | 'postgres' | 'worker' | 'api' | 'bench', number>;
  stop(): Promise<void>;
}

export interface FlowsStackOptions {
  /** Requests per second Customer.io takes on each of its APIs before answering 429. */
  providerLimit: number;
  /** Extra environment for the worker (its rate limits, cache and concurrency). */
  workerEnv?: Record<string, string>;
  log: (line: string) => void;
}

/** Starts a Keywarden entry point (bin/*.ts) as its own process; resolves once `ready` says so. */
async function startProcess(script: string, env: Record<string, string>, ready: (line: string) => boolean, log: (line: string) => void, execArgv: string[] = []): Promise<ChildProcess> {
  const child = fork(path.join(root, 'bin', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 90 s`)), 90_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if (ready(line)) {
          clearTimeout(timer);
          resolve();
        } else if (/"level":(50|60)/.test(line)) log(`  [${script}] ${line.slice(0, 300)}`);
      }
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', (chunk: Buffer) => log(`  [${script}] ${chunk.toString().trim().slice(0, 300)}`));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited during start-up (code ${code})`));
    });
  });
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export async function startFlowsStack(options: FlowsStackOptions): Promise<FlowsStack> {
  const { log } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keywarden-bench-flows-'));
  // As root, Postgres runs as the `postgres` user, which must be able to reach its folder.
  chmodSync(dir, 0o755);
  let postgres: RunningPostgres | undefined;
  let dev: RunningDevServer | undefined;
  let worker: ChildProcess | undefined;
  let api: ChildProcess | undefined;
  let connection: Connection | undefined;
  const cio = fakeCustomerIo(CUSTOMERIO);
  const stop = async () => {
    await stopProcess(api);
    await stopProcess(worker);
    await connection?.close().catch(() => undefined);
    await dev?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    await cio.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tls = selfSignedCertificate();
    const caFile = path.join(dir, 'provider-ca.pem');
    writeFileSync(caFile, tls.cert);
    cio.limit(['identify', 'track'], options.providerLimit).limit(['send_email'], options.providerLimit);
    await cio.start(tls);

    postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), port: await freePort(), database: 'keywarden_bench', settings: { max_connections: '200' } });
    const orm = await openOrm({ url: postgres.url });
    await migrate(orm);
    await orm.close(true);

    const cli = await resolveTemporalCli({ toolsDir: path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? path.join(root, '.tools')), envPath: process.env.TEMPORAL_CLI_PATH, log: (line) => log(`  ${line}`) });
    if (!cli.path) throw new Error(`no Temporal CLI for the dev server (${cli.detail}); run npm run tools`);
    dev = await startTemporalDevServer({ cliPath: cli.path, dataDir: path.join(dir, 'temporal'), port: await freePort(), uiPort: await freePort(), namespace: 'default', headless: true });
    connection = await Connection.connect({ address: dev.address });

    const secret = randomBytes(32).toString('base64');
    const webhookSecret = `whsec_bench_${randomBytes(8).toString('hex')}`;
    const adminToken = `kwa_bench_${randomBytes(16).toString('hex')}`;
    const taskQueue = 'keywarden-bench-flows';
    const apiPort = await freePort();
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_MAX: '20',
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      KEYWARDEN_SECRET: secret,
      KEYWARDEN_DATA_DIR: path.join(dir, 'data'),
    };
    worker = await startProcess(
      'worker.ts',
      {
        ...common,
        LICENSE_RECONCILE_EVERY: 'off',
        CUSTOMERIO_SITE_ID: CUSTOMERIO.siteId,
        CUSTOMERIO_TRACK_API_KEY: CUSTOMERIO.trackApiKey,
        CUSTOMERIO_APP_API_KEY: CUSTOMERIO.appApiKey,
        CUSTOMERIO_LICENSE_ISSUED_MESSAGE_ID: CUSTOMERIO.licenseIssuedMessageId,
        CUSTOMERIO_TRACK_URL: `${cio.url}/api/v1`,
        CUSTOMERIO_API_URL: `${cio.url}/v1`,
        NODE_EXTRA_CA_CERTS: caFile,
        ...options.workerEnv,
      },
      (line) => line.includes('worker running'),
      log,
    );
    api = await startProcess(
      'api.ts',
      {
        ...common,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        ADMIN_TOKEN: adminToken,
        STRIPE_SECRET_KEY: 'sk_test_bench',
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        // Never called: the checkouts' subscriptions arrive in events first, as Stripe sends them.
        STRIPE_API_BASE: 'http://127.0.0.1:9',
      },
      (line) => line.includes('API listening'),
      log,
      // As `npm run api` runs it.
      ['--max-semi-space-size=32'],
    );
    return {
      databaseUrl: postgres.url,
      temporal: new Client({ connection, namespace: 'default' }),
      taskQueue,
      secret,
      cio,
      webhookSecret,
      adminToken,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      worker,
      cpu: () => ({
        temporal: cpuSecondsMatching(path.join(dir, 'temporal')),
        postgres: cpuSecondsMatching(path.join(dir, 'postgres')),
        worker: cpuSecondsOf(worker!.pid!),
        api: cpuSecondsOf(api!.pid!),
        bench: cpuSecondsOf(process.pid),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const TICKS_PER_SECOND = 100;

/** User + system CPU of one process (all its threads) and of its ended children, in seconds (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  try {
    // utime, stime, and the children it has waited for (Postgres' ended backends).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of the processes whose command line names `marker` (a server and its children, e.g. Postgres' backends), and of their children. */
function cpuSecondsMatching(marker: string): number {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const matching = new Set<string>();
  const parents = new Map<string, string>();
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) matching.add(pid);
      parents.set(pid, readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]!);
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const pid of pids) if (matching.has(pid) || matching.has(parents.get(pid) ?? '')) total += cpuSecondsOf(Number(pid));
  return total;
}

/** The process's resident memory now and its peak so far (Linux /proc), in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** Samples a process's RSS every 250 ms; `stop()` answers the largest sample. */
export function sampleRss(pid: number): { stop(): number } {
  let max = 0;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, memoryOf(pid).rssMiB);
    } catch {
      // the process is gone
    }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/** CPU seconds each part used between two readings of `FlowsStack.cpu()`, as `temporal 12.3 s, worker …`. */
export function cpuUsed(before: ReturnType<FlowsStack['cpu']>, after: ReturnType<FlowsStack['cpu']>): string {
  return (Object.keys(after) as Array<keyof typeof after>).map((part) => `${part} ${(after[part] - before[part]).toFixed(1)} s`).join(', ');
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Starts `work` for each item at a steady rate (an open loop: it never waits for earlier ones). */
export async function atRate<T>(items: T[], perSecond: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const running: Promise<void>[] = [];
  for (const [index, item] of items.entries()) {
    const due = start + (index * 1000) / perSecond - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    running.push(work(item, index));
  }
  await Promise.all(running);
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
