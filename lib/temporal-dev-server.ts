import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SetupError } from './entry-point.ts';

export interface DevServerOptions {
  cliPath: string;
  /** The server's own folder (its SQLite file): created 0700, every file in it 0600. */
  dataDir: string;
  /** Where an earlier Keywarden kept the SQLite file (the top of the data folder): moved in. */
  legacyDbFile?: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Bind address; loopback by default. */
  ip?: string;
  /** Web UI off (tests). */
  headless?: boolean;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Whether something accepts TCP connections on host:port now. */
export function portAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const DB_FILE = 'temporal.sqlite';

/**
 * The folder holds every workflow's history (payloads included): 0700, and 0600 for the files
 * in it, also those an earlier version created with the default 0644.
 */
function preparePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  for (const file of readdirSync(dir)) {
    const full = path.join(dir, file);
    const stat = statSync(full);
    if (stat.isFile() && (stat.mode & 0o777) !== 0o600) chmodSync(full, 0o600);
  }
}

/** Moves a SQLite database and its journal files (same name plus -wal, -shm or -journal). */
function moveSqliteFile(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(from + suffix)) {
      renameSync(from + suffix, to + suffix);
      chmodSync(to + suffix, 0o600);
    }
  }
}

/**
 * Runs `temporal server start-dev` with its state in a SQLite file in the data folder, so
 * workflows survive restarts. Resolves once the front-end accepts connections.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  if (await portAccepts(ip, options.port)) {
    throw new SetupError(
      `Temporal's dev server cannot listen on ${ip}:${options.port}, which another program holds: stop it (another npm start?), set TEMPORAL_DEV_PORT to a free port, or TEMPORAL_ADDRESS to use that Temporal`,
    );
  }
  const dbFile = path.join(options.dataDir, DB_FILE);
  preparePrivateFolder(options.dataDir);
  if (options.legacyDbFile && !existsSync(dbFile)) moveSqliteFile(options.legacyDbFile, dbFile);
  const args = [
    'server', 'start-dev',
    '--ip', ip,
    '--port', String(options.port),
    '--db-filename', dbFile,
    // SQLite's defaults (a rollback journal, an fsync at every commit) hold the server to about
    // 17 workflow starts a second on the 2-core development machine; with a write-ahead log and
    // synchronous=NORMAL, 100–230 (still crash-safe: a power cut may lose the last commits, never
    // the file). Every workflow task and activity is such a commit.
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    '--namespace', options.namespace,
    '--log-level', 'warn',
    // One partition per task queue: a single server has no use for more. With the default four,
    // a task can land in a partition that none of the worker's few pollers is on, and waits to
    // be forwarded. In the checkout storm (npm run bench:flows), one partition took the key
    // email's p99 from 40 s to 19 s and the processes' CPU from 93 s to 70 s (one run each).
    '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
  ];
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  // Its own process group: a terminal's Ctrl-C reaches only Keywarden, which stops the worker
  // first and the server after it. If Keywarden dies, the exit hook still takes the server down.
  // The server creates its files (the database, its journal) with the umask it inherits: 077
  // makes them 0600. Only this synchronous call runs under it.
  const umask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } finally {
    process.umask(umask);
  }
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.log?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`temporal dev server exited early (code ${code}, signal ${signal})`)));
    child.once('error', reject);
  });
  exited.catch(() => undefined);

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (await Promise.race([portAccepts(ip, options.port), exited])) break;
      if (Date.now() > deadline) throw new Error(`temporal dev server did not accept connections on ${ip}:${options.port} in time`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    address: `${ip}:${options.port}`,
    uiUrl: options.headless ? undefined : `http://${ip === '0.0.0.0' ? 'localhost' : ip}:${options.uiPort}`,
    stop: () => stopChild(child),
  };
}
