import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres.ts';
import { resolveTemporalCli, resolveTestServer } from '../../lib/temporal-binaries.ts';
import { startTemporalDevServer } from '../../lib/temporal-dev-server.ts';
import { freePort } from '../../lib/ports.ts';
import { ensureWebApps } from '../../lib/web-build.ts';

/**
 * One real Postgres cluster and one Temporal dev server for the whole run. Each test file
 * creates its own database on the cluster and its own task queue on the server.
 */
export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'keywarden-test-'));
  // As root, Postgres runs as the `postgres` user, which must be able to reach its folder.
  chmodSync(root, 0o755);
  const toolsDir = path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? '.tools');
  const log = (line: string) => console.log(`[test setup] ${line}`);
  // The console and the portal, built while the servers start (only when their sources changed).
  const webApps = ensureWebApps({ log });
  const [cli, testServer] = await Promise.all([
    resolveTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH, log }),
    resolveTestServer({ toolsDir, envPath: process.env.TEMPORAL_TEST_SERVER_PATH, log }),
  ]);

  const postgres = await startEmbeddedPostgres({
    dir: path.join(root, 'postgres'),
    port: await freePort(),
    database: 'keywarden_test',
    // A throw-away cluster: durability is not under test here, speed is welcome.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });

  if (!cli.path) throw new Error(`no Temporal CLI for the tests' dev server (${cli.detail})`);
  // Launched and waited for here, with a deadline a loaded machine can meet (the SDK's own
  // launcher gives a server 5 s).
  const temporal = await startTemporalDevServer({
    cliPath: cli.path,
    dataDir: path.join(root, 'temporal'),
    port: await freePort(),
    uiPort: 0,
    namespace: 'default',
    headless: true,
  });

  process.env.TEST_ROOT = root;
  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_TEMPORAL_CLI_PATH = cli.path ?? '';
  process.env.TEST_TEMPORAL_TEST_SERVER_PATH = testServer.path ?? '';
  (globalThis as Record<string, unknown>).__keywardenTestServers = { postgres, temporal };
  await webApps;
}
