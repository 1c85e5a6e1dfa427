import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../lib/ports.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../lib/temporal-dev-server.ts';

const cliPath = process.env.TEST_TEMPORAL_CLI_PATH ?? '';

/** Every entry of a folder with its mode, e.g. { 'temporal.sqlite': '600' }. */
function modes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, (statSync(path.join(dir, name)).mode & 0o777).toString(8)]));
}

/** The same entries, each 0600. */
function allPrivate(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(files).map((name) => [name, '600']));
}

/**
 * The dev server's folder holds every workflow's history, payloads included: only its owner may
 * read it (issue 13, files at rest).
 */
describe("the Temporal dev server's files at rest", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kw-temporal-files-'));
  chmodSync(root, 0o755);
  let server: RunningDevServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function start(dataDir: string, legacyDbFile?: string): Promise<RunningDevServer> {
    if (!cliPath) throw new Error('TEST_TEMPORAL_CLI_PATH is not set: the global setup found no Temporal CLI');
    server = await startTemporalDevServer({ cliPath, dataDir, legacyDbFile, port: await freePort(), uiPort: await freePort(), namespace: 'default', headless: true });
    return server;
  }

  async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address });
    try {
      return await use(new Client({ connection }));
    } finally {
      await connection.close();
    }
  }

  it('creates its folder 0700 and every file in it 0600, also once histories are written', async () => {
    const dataDir = path.join(root, 'first', 'temporal');
    const running = await start(dataDir);
    await withClient(running.address, (client) =>
      client.workflow.start('notRegistered', { taskQueue: 'nobody-polls', workflowId: 'kept-across-the-move', args: [{ payload: 'x'.repeat(10_000) }] }),
    );
    await running.stop();
    server = undefined;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = modes(dataDir);
    expect(Object.keys(files)).toContain('temporal.sqlite');
    expect(files).toEqual(allPrivate(files));
  });

  it('moves the file an earlier version kept at the top of the data folder into its own, and makes it private', async () => {
    // The earlier layout: the SQLite file (0644) beside the other data, in a folder others may enter.
    const dataFolder = path.join(root, 'earlier');
    mkdirSync(dataFolder, { mode: 0o755 });
    // The file with its write-ahead log, should the first server have left one (an earlier
    // version kept no log: the move takes whichever of the companions exist).
    for (const suffix of ['', '-wal', '-shm']) {
      const from = path.join(root, 'first', 'temporal', `temporal.sqlite${suffix}`);
      if (!existsSync(from)) continue;
      renameSync(from, path.join(dataFolder, `temporal.sqlite${suffix}`));
      chmodSync(path.join(dataFolder, `temporal.sqlite${suffix}`), 0o644);
    }
    const running = await start(path.join(dataFolder, 'temporal'), path.join(dataFolder, 'temporal.sqlite'));
    const description = await withClient(running.address, (client) => client.workflow.getHandle('kept-across-the-move').describe());
    expect(description.status.name).toBe('RUNNING');
    await running.stop();
    server = undefined;
    expect(readdirSync(dataFolder)).toEqual(['temporal']);
    expect(statSync(path.join(dataFolder, 'temporal')).mode & 0o777).toBe(0o700);
    const files = modes(path.join(dataFolder, 'temporal'));
    expect(files).toEqual(allPrivate(files));
  });

  it('makes an existing folder and its files private again', async () => {
    const dataDir = path.join(root, 'earlier', 'temporal');
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'temporal.sqlite'), 0o644);
    const running = await start(dataDir);
    await running.stop();
    server = undefined;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(modes(dataDir)['temporal.sqlite']).toBe('600');
  });
});
