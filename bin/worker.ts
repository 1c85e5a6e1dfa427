/** `npm run worker`: the Temporal worker alone (production: run two or more). */
import { isOneLineError, loadConfigOrExit, printOneLine } from '../lib/entry-point.ts';
import { createLogger } from '../lib/logger.ts';
import { requireDatabaseUrl, resolveServerSecret, untilShutdownSignal } from '../lib/runtime.ts';
import { temporalTarget } from '../lib/temporal-connection.ts';
import { migrate, openOrm } from '../schema/orm.ts';
import { runLicenseWorker } from '../worker/run-worker.ts';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel, 'keywarden-worker');
try {
  const orm = await openOrm({ url: requireDatabaseUrl(config), poolMax: config.database.poolMax });
  await migrate(orm);
  const { secret } = resolveServerSecret(config);
  const worker = await runLicenseWorker({
    em: orm.em,
    logger,
    temporal: temporalTarget(config),
    taskQueue: config.temporal.taskQueue,
    schedules: { reconcileEvery: config.reconcileEvery },
    delivery: { outreach: config.outreach, secret },
    stripe: config.stripe,
    usage: config.usage,
    callTimeoutMs: config.temporal.callTimeoutMs,
  });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await Promise.race([untilShutdownSignal(), worker.done]);
  await worker.shutdown();
  await orm.close(true);
} catch (error) {
  if (isOneLineError(error)) printOneLine(error);
  else logger.fatal({ err: error }, 'the worker failed');
  process.exitCode = 1;
}
