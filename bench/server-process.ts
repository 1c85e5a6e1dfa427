/** The API under test, in a child process (bench/server.ts), started and stopped by bench/run.ts. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchServer {
  url: string;
  /** The bare node:http no-op in the same process (bench/server.ts). */
  floorUrl: string;
  /** Twin apps for the route-family headers' cost, with and without them (bench/server.ts), in the same process. */
  headersUrl: string;
  bareUrl: string;
  /** The twin of headersUrl with usage capture on (bench/server.ts). */
  usageUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The API runs with these flags everywhere (npm scripts, Dockerfile): a larger young generation
 * means fewer scavenges under load, which shortens the tail (p99) of every request.
 */
const API_NODE_FLAGS = ['--max-semi-space-size=32'];

const children = new Set<ChildProcess>();

export async function startServer(databaseUrl: string, secret: string, cacheMax: number, poolMax: number): Promise<BenchServer> {
  const child = fork(path.join(here, 'server.ts'), [], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, KEYWARDEN_SECRET: secret, BENCH_CACHE_MAX: String(cacheMax), BENCH_POOL_MAX: String(poolMax), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_PROFILE=<dir>: a V8 CPU profile of each server process, written there when it stops.
    execArgv: [...process.execArgv, ...API_NODE_FLAGS, ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const { port, floorPort, headersPort, barePort, usagePort } = await new Promise<{ port: number; floorPort: number; headersPort: number; barePort: number; usagePort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 60 s')), 60_000);
    child.on('message', (message: { type?: string; port?: number; floorPort?: number; headersPort?: number; barePort?: number; usagePort?: number }) => {
      if (message?.type === 'ready' && message.port && message.floorPort && message.headersPort && message.barePort && message.usagePort) {
        clearTimeout(timer);
        resolve({ port: message.port, floorPort: message.floorPort, headersPort: message.headersPort, barePort: message.barePort, usagePort: message.usagePort });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited during start-up (code ${code}, signal ${signal})`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, floorUrl: `http://127.0.0.1:${floorPort}`, headersUrl: `http://127.0.0.1:${headersPort}`, bareUrl: `http://127.0.0.1:${barePort}`, usageUrl: `http://127.0.0.1:${usagePort}`, child, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every server still running (on the way out, also after a failure). */
export async function stopAllServers(): Promise<void> {
  for (const child of [...children]) await stopChild(child).catch(() => undefined);
}
