import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './entry-point.ts';

/**
 * Who runs Postgres. It refuses to run as root, so as root it needs an unprivileged identity
 * that can still reach its binaries (in node_modules) and its data folder, wherever the clone
 * sits, including under root's own 0700 home:
 *  - `self`: not root; Postgres runs as the user who started Keywarden.
 *  - `user-namespace`: root, in a user namespace (`unshare --user`) that maps root to an
 *    unprivileged id. Postgres is not root inside, while the kernel checks its file access as
 *    root's outside, so every folder root can enter works and the files stay root's.
 *  - `system-user`: root without user namespaces (some container sandboxes forbid them), or a
 *    cluster an earlier Keywarden created for the `postgres` system user: a real uid, which
 *    must be able to enter every folder above the binaries and the data.
 */
export type PostgresUser =
  | { kind: 'self' }
  | { kind: 'user-namespace' }
  | { kind: 'system-user'; name: string; uid: number; gid: number };

/** The id root becomes inside the namespace: `nobody`, which every system lists. */
const NAMESPACE_ID = 65534;

/** How to spawn a Postgres program as that user. */
export function asPostgresUser(user: PostgresUser, command: string, args: string[]): { command: string; args: string[]; uid?: number; gid?: number } {
  if (user.kind === 'user-namespace') {
    return { command: 'unshare', args: ['--user', `--map-user=${NAMESPACE_ID}`, `--map-group=${NAMESPACE_ID}`, '--', command, ...args] };
  }
  if (user.kind === 'system-user') return { command, args, uid: user.uid, gid: user.gid };
  return { command, args };
}

let namespacesWork: boolean | undefined;

/** Whether this machine lets root start a process in a new user namespace (asked once). */
export function userNamespacesAvailable(): boolean {
  namespacesWork ??= spawnSync('unshare', ['--user', `--map-user=${NAMESPACE_ID}`, `--map-group=${NAMESPACE_ID}`, '--', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return namespacesWork;
}

/** The nearest folder above `target` (or itself) that `uid`/`gid` may not enter, judged by mode bits. */
export function firstClosedFolder(target: string, uid: number, gid: number): string | undefined {
  const folders: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of folders) {
    if (!existsSync(dir)) return undefined;
    const stat = statSync(dir);
    const bit = stat.uid === uid ? 0o100 : stat.gid === gid ? 0o010 : 0o001;
    if (!(stat.mode & bit)) return dir;
  }
  return undefined;
}

function lookUpId(flag: '-u' | '-g', name: string): number | undefined {
  const result = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** The `postgres` system user, created (as a system account without a home) when missing. */
function postgresSystemUser(): { name: string; uid: number; gid: number } {
  const name = 'postgres';
  if (lookUpId('-u', name) === undefined) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
    if (created.status !== 0) {
      throw new SetupError(
        `as root, Postgres needs an unprivileged user, and neither user namespaces (unshare --user) nor creating the \`postgres\` user (useradd: ${(created.stderr || String(created.error)).trim()}) worked here: run npm start as a normal user, or set DATABASE_URL to a Postgres of yours`,
      );
    }
  }
  return { name, uid: lookUpId('-u', name)!, gid: lookUpId('-g', name)! };
}

/**
 * Chooses who runs the cluster in `dataDir` with binaries in `binDir`. Throws a SetupError that
 * says what to do when no choice can work.
 */
export function choosePostgresUser(options: {
  dataDir: string;
  binDir: string;
  isRoot?: boolean;
  namespaces?: () => boolean;
  systemUser?: () => { name: string; uid: number; gid: number };
}): PostgresUser {
  if (!(options.isRoot ?? process.getuid?.() === 0)) return { kind: 'self' };
  // A cluster an earlier Keywarden created as root belongs to the `postgres` system user: keep it.
  const existingOwner = existsSync(path.join(options.dataDir, 'PG_VERSION')) ? statSync(options.dataDir) : undefined;
  let user: PostgresUser;
  if (existingOwner && existingOwner.uid !== 0) {
    user = { kind: 'system-user', name: `uid ${existingOwner.uid}`, uid: existingOwner.uid, gid: existingOwner.gid };
  } else if ((options.namespaces ?? userNamespacesAvailable)()) {
    return { kind: 'user-namespace' };
  } else {
    user = { kind: 'system-user', ...(options.systemUser ?? postgresSystemUser)() };
  }
  for (const [what, target] of [['its programs', options.binDir], ['its data folder', options.dataDir]] as const) {
    const closed = firstClosedFolder(target, user.uid, user.gid);
    if (closed) {
      const mode = (statSync(closed).mode & 0o777).toString(8).padStart(4, '0');
      throw new SetupError(
        `as root, Postgres runs as the unprivileged user ${user.name}, which cannot reach ${what} (${target}): it may not enter ${closed} (mode ${mode}), ` +
          'and user namespaces (unshare --user), which would avoid that, are not available here; run npm start as a normal user, ' +
          'or move the clone (or KEYWARDEN_DATA_DIR) to a folder other users can enter, e.g. /srv/keywarden, or set DATABASE_URL to a Postgres of yours',
      );
    }
  }
  return user;
}
