/**
 * `npm start`: the whole stack on one machine. Embedded Postgres (unless DATABASE_URL), the
 * Temporal CLI dev server with its Web UI (unless TEMPORAL_ADDRESS), then the worker and the
 * API in this process. Ctrl-C stops everything; the next start finds the data where it was.
 */
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres.ts';
import { isOneLineError, loadConfigOrExit, printOneLine, SetupError } from '../lib/entry-point.ts';
import { createLogger } from '../lib/logger.ts';
import { resolveServerSecret, untilShutdownSignal } from '../lib/runtime.ts';
import { NO_TEMPORAL_CLI_HINT, resolveTemporalCli } from '../lib/temporal-binaries.ts';
import { temporalTarget } from '../lib/temporal-connection.ts';
import { startTemporalDevServer, type RunningDevServer } from '../lib/temporal-dev-server.ts';
import { ensureBootstrapToken } from '../api/auth/api-token.service.ts';
import { prepareFirstOwner } from '../domain/staff/prepare-first-owner.ts';
import { apiServerSettings, startApiServer, type RunningApi } from '../api/server.ts';
import { ensureWebApps } from '../lib/web-build.ts';
import { migrate, openOrm, type MikroORM } from '../schema/orm.ts';
import { bundleLicenseWorkflows, runLicenseWorker, type RunningWorker } from '../worker/run-worker.ts';

const config = loadConfigOrExit();
// A person at a terminal reads coloured lines; anything else (CI, a log collector) gets JSON.
const logger = createLogger(config.logLevel, 'keywarden', { pretty: process.stdout.isTTY === true });
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (stops.length) process.stdout.write('\nStopping Keywarden…\n');
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
        process.stdout.write(`  stopped ${name}\n`);
      } catch (error) {
        logger.error({ err: error }, `failed to stop ${name}`);
      }
    }
  }
  process.exit(exitCode);
}

/** Temporal's dev server, with the CLI found (on a first start fetched) first. */
async function startDevServer(): Promise<RunningDevServer> {
  const cli = await resolveTemporalCli({ toolsDir: config.toolsDir, envPath: config.temporal.cliPath, log: (line) => logger.info(line) });
  if (!cli.path) throw new SetupError(`npm start runs Temporal's dev server, and found no Temporal CLI (${cli.detail}): ${NO_TEMPORAL_CLI_HINT}, or TEMPORAL_ADDRESS to use a running Temporal`);
  return startTemporalDevServer({
    cliPath: cli.path,
    dataDir: path.join(config.dataDir, 'temporal'),
    legacyDbFile: path.join(config.dataDir, 'temporal.sqlite'),
    port: config.temporal.devPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    log: (line) => logger.debug({ component: 'temporal' }, line),
  });
}

async function main() {
  const signal = untilShutdownSignal();
  signal.then(() => stopAll(0));
  // The console and the portal build (when their sources changed) while the rest starts.
  const webApps = ensureWebApps({ log: (line) => logger.info(line) }).catch((error: unknown) => {
    logger.error({ err: error }, 'the web apps could not be built: /admin and /portal will say so');
  });

  // Temporal's dev server starts (on a first start, its CLI is fetched) and the workflow code is
  // bundled while Postgres starts and migrates; if start-up fails before the server is up, the
  // exit hook takes it down.
  const devServerStarting = config.temporal.address ? undefined : startDevServer();
  devServerStarting?.catch(() => undefined);
  const workflowBundle = bundleLicenseWorkflows(logger);
  workflowBundle.catch(() => undefined);

  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    const postgres: RunningPostgres = await startEmbeddedPostgres({
      dir: path.join(config.dataDir, 'postgres'),
      port: config.database.embeddedPort,
      database: 'keywarden',
      log: (line) => logger.debug({ component: 'postgres' }, line),
    });
    stops.push({ name: 'Postgres', stop: postgres.stop });
    databaseUrl = postgres.url;
  }

  const orm: MikroORM = await openOrm({ url: databaseUrl, poolMax: config.database.poolMax });
  stops.push({ name: 'database pool', stop: () => orm.close(true) });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'applied migrations');

  let temporalUi = config.temporal.uiUrl;
  if (devServerStarting) {
    const devServer = await devServerStarting;
    stops.push({ name: 'Temporal dev server', stop: devServer.stop });
    temporalUi ??= devServer.uiUrl;
  }
  const temporal = temporalTarget(config);

  const { secret } = resolveServerSecret(config);
  const bootstrap = await ensureBootstrapToken(orm.em, secret, config.adminToken);
  const setup = await prepareFirstOwner(orm.em, secret, config.http.publicUrl);

  const worker: RunningWorker = await runLicenseWorker({
    em: orm.em,
    logger,
    temporal,
    taskQueue: config.temporal.taskQueue,
    schedules: { reconcileEvery: config.reconcileEvery },
    delivery: { outreach: config.outreach, secret },
    stripe: config.stripe,
    usage: config.usage,
    callTimeoutMs: config.temporal.callTimeoutMs,
    workflowBundle,
  });
  stops.push({ name: 'worker', stop: worker.shutdown });
  worker.done.catch((error) => {
    logger.fatal({ err: error }, 'the worker stopped unexpectedly');
    void stopAll(1);
  });

  await webApps;
  const api: RunningApi = await startApiServer({ ...apiServerSettings(config), temporalUiUrl: temporalUi, em: orm.em, secret, logger, temporal, databaseUrl });
  stops.push({ name: 'API', stop: api.close });

  // No staff yet: a one-time link (24 h) sets up the first owner, instead of a token to copy.
  const accessLine = setup
    ? `Set-up link   ${setup.url}   (one-time, until ${setup.expiresAt.toISOString()}: creates the first owner)`
    : 'Staff         sign in at /v1/sessions (an owner exists)';
  const adminLine = { environment: 'from ADMIN_TOKEN', revoked: 'ADMIN_TOKEN was revoked by staff (set a new value to use one)', none: 'none (set ADMIN_TOKEN for automation, or create tokens at /v1/api-tokens)' }[bootstrap.source];
  const redactedDb = databaseUrl.replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@');
  process.stdout.write(
    [
      '',
      'Keywarden is running',
      `  API           ${config.http.publicUrl}   (health: /healthz, readiness: /readyz)`,
      `  Console       ${config.http.publicUrl.replace(/\/$/, '')}/admin/`,
      `  Temporal UI   ${temporalUi ?? 'see your Temporal cluster'}   (namespace ${temporal.namespace}, task queue ${config.temporal.taskQueue})`,
      `  Temporal      ${temporal.address}`,
      `  Postgres      ${config.database.url ? redactedDb : databaseUrl}`,
      `  ${accessLine}`,
      `  Admin token   ${adminLine}`,
      `  Data folder   ${config.dataDir}`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (error) => {
  if (isOneLineError(error)) printOneLine(error);
  else logger.fatal({ err: error }, 'Keywarden failed to start');
  await stopAll(1);
});
