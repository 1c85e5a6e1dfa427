/**
 * `npm start`: the whole stack on one machine. Embedded Postgres (unless DATABASE_URL), the
 * Temporal CLI dev server with its Web UI (unless TEMPORAL_ADDRESS), then the worker and the
 * API in this process. Ctrl-C stops everything; the next start finds the data where it was.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres.ts';
import { createLogger } from '../lib/logger.ts';
import { resolveServerSecret, untilShutdownSignal } from '../lib/runtime.ts';
import { resolveTemporalCli } from '../lib/temporal-binaries.ts';
import { temporalTarget } from '../lib/temporal-connection.ts';
import { startTemporalDevServer, type RunningDevServer } from '../lib/temporal-dev-server.ts';
import { ensureBootstrapToken } from '../api/auth/api-token.service.ts';
import { apiServerSettings, startApiServer, type RunningApi } from '../api/server.ts';
import { migrate, openOrm, type MikroORM } from '../schema/orm.ts';
import { runLicenseWorker, type RunningWorker } from '../worker/run-worker.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
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

async function main() {
  const signal = untilShutdownSignal();
  signal.then(() => stopAll(0));

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
  if (!config.temporal.address) {
    const cli = await resolveTemporalCli({
      toolsDir: config.toolsDir,
      envPath: config.temporal.cliPath,
      log: (line) => logger.info(line),
    });
    if (!cli.path) throw new ConfigError(`no Temporal CLI available (${cli.detail}); install Go, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS`);
    const devServer: RunningDevServer = await startTemporalDevServer({
      cliPath: cli.path,
      dataDir: config.dataDir,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      log: (line) => logger.debug({ component: 'temporal' }, line),
    });
    stops.push({ name: 'Temporal dev server', stop: devServer.stop });
    temporalUi ??= devServer.uiUrl;
  }
  const temporal = temporalTarget(config);

  const { secret } = resolveServerSecret(config);
  const bootstrap = await ensureBootstrapToken(orm.em, secret, config.adminToken);

  const worker: RunningWorker = await runLicenseWorker({
    em: orm.em,
    logger,
    temporal,
    taskQueue: config.temporal.taskQueue,
    schedules: { reconcileEvery: config.reconcileEvery },
    delivery: { outreach: config.outreach, secret },
    stripe: config.stripe,
    tuning: config.worker,
  });
  stops.push({ name: 'worker', stop: worker.shutdown });
  worker.done.catch((error) => {
    logger.fatal({ err: error }, 'the worker stopped unexpectedly');
    void stopAll(1);
  });

  const api: RunningApi = await startApiServer({ ...apiServerSettings(config), em: orm.em, secret, logger, temporal, databaseUrl });
  stops.push({ name: 'API', stop: api.close });

  const adminLine =
    bootstrap.source === 'generated'
      ? `${bootstrap.generatedToken}   (shown once: only its hash is stored)`
      : bootstrap.source === 'environment'
        ? 'from ADMIN_TOKEN'
        : 'generated on first start and shown then (stored hashed); set ADMIN_TOKEN to choose one';
  const redactedDb = databaseUrl.replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@');
  process.stdout.write(
    [
      '',
      'Keywarden is running',
      `  API           ${config.http.publicUrl}   (health: /healthz, readiness: /readyz)`,
      `  Temporal UI   ${temporalUi ?? 'see your Temporal cluster'}   (namespace ${temporal.namespace}, task queue ${config.temporal.taskQueue})`,
      `  Temporal      ${temporal.address}`,
      `  Postgres      ${config.database.url ? redactedDb : databaseUrl}`,
      `  Admin token   ${adminLine}`,
      `  Data folder   ${config.dataDir}`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (error) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'Keywarden failed to start');
  await stopAll(1);
});
