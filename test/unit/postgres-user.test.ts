import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SetupError } from '../../lib/entry-point.ts';
import { asPostgresUser, choosePostgresUser, firstClosedFolder } from '../../lib/postgres-user.ts';

/** Who runs Postgres, decided from the folders' modes; the servers themselves: test/e2e/private-folder-postgres.test.ts. */
describe('who runs the embedded Postgres', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kw-pguser-'));
  const open = path.join(root, 'open');
  const closed = path.join(root, 'private');
  mkdirSync(path.join(open, 'bin'), { recursive: true, mode: 0o755 });
  mkdirSync(path.join(closed, 'clone', 'bin'), { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(open, 0o755);
  chmodSync(closed, 0o700);
  // An unprivileged account that owns none of these folders.
  const postgresAccount = { name: 'postgres', uid: 4242, gid: 4242 };

  it('is the user who started Keywarden, unless that is root', () => {
    expect(choosePostgresUser({ dataDir: path.join(closed, 'data'), binDir: closed, isRoot: false })).toEqual({ kind: 'self' });
  });

  it('as root, is root in a user namespace, wherever the clone sits', () => {
    const user = choosePostgresUser({ dataDir: path.join(closed, 'clone', 'data'), binDir: path.join(closed, 'clone', 'bin'), isRoot: true, namespaces: () => true });
    expect(user).toEqual({ kind: 'user-namespace' });
    expect(asPostgresUser(user, '/x/bin/postgres', ['-D', '/x/data'])).toEqual({
      command: 'unshare',
      args: ['--user', '--map-user=65534', '--map-group=65534', '--', '/x/bin/postgres', '-D', '/x/data'],
    });
  });

  it('as root without user namespaces, is the postgres system user where it can reach binaries and data', () => {
    const user = choosePostgresUser({ dataDir: path.join(open, 'data'), binDir: path.join(open, 'bin'), isRoot: true, namespaces: () => false, systemUser: () => postgresAccount });
    expect(user).toEqual({ kind: 'system-user', ...postgresAccount });
    expect(asPostgresUser(user, '/x/bin/postgres', [])).toEqual({ command: '/x/bin/postgres', args: [], uid: 4242, gid: 4242 });
  });

  it('says in one line why it cannot work, and what to do, when that user cannot enter the clone', () => {
    const attempt = () =>
      choosePostgresUser({ dataDir: path.join(closed, 'clone', 'data'), binDir: path.join(closed, 'clone', 'bin'), isRoot: true, namespaces: () => false, systemUser: () => postgresAccount });
    expect(attempt).toThrow(SetupError);
    expect(attempt).toThrow(
      `as root, Postgres runs as the unprivileged user postgres, which cannot reach its programs (${path.join(closed, 'clone', 'bin')}): it may not enter ${closed} (mode 0700), ` +
        'and user namespaces (unshare --user), which would avoid that, are not available here; run npm start as a normal user, ' +
        'or move the clone (or KEYWARDEN_DATA_DIR) to a folder other users can enter, e.g. /srv/keywarden, or set DATABASE_URL to a Postgres of yours',
    );
  });

  it('keeps a cluster an earlier Keywarden created for a system user with that user', () => {
    const dataDir = path.join(open, 'legacy-cluster');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '18\n');
    // As root, the folder is handed to another account, as the earlier versions did.
    const owner = process.getuid?.() === 0 ? 4243 : process.getuid!();
    if (owner === 4243) chownSync(dataDir, 4243, 4243);
    const user = choosePostgresUser({ dataDir, binDir: path.join(open, 'bin'), isRoot: true, namespaces: () => true });
    expect(user).toMatchObject({ kind: 'system-user', uid: owner });
  });

  it('finds the first folder a user may not enter, by owner, group and other bits', () => {
    expect(firstClosedFolder(path.join(closed, 'clone', 'bin'), 4242, 4242)).toBe(closed);
    expect(firstClosedFolder(path.join(open, 'bin'), 4242, 4242)).toBeUndefined();
    // A folder that does not exist yet is created by root on the way: only the ones above count.
    expect(firstClosedFolder(path.join(open, 'not', 'yet'), 4242, 4242)).toBeUndefined();
  });
});
