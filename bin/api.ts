/** `npm run api`: the HTTP API alone (production: one or more replicas behind a load balancer). */
import { isOneLineError, loadConfigOrExit, printOneLine } from '../lib/entry-point.ts';
import { createLogger } from '../lib/logger.ts';
import { requireDatabaseUrl, resolveServerSecret, untilShutdownSignal } from '../lib/runtime.ts';
import { temporalTarget } from '../lib/temporal-connection.ts';
import { ensureBootstrapToken } from '../api/auth/api-token.service.ts';
import { prepareFirstOwner } from '../domain/staff/prepare-first-owner.ts';
import { apiServerSettings, startApiServer } from '../api/server.ts';
import { ensureWebApps } from '../lib/web-build.ts';
import { migrate, openOrm } from '../schema/orm.ts';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel, 'keywarden-api');
try {
  // Built here only when their sources changed (an image ships them built).
  await ensureWebApps({ log: (line) => logger.info(line) }).catch((error: unknown) => {
    logger.error({ err: error }, 'the web apps could not be built: /admin and /portal will say so');
  });
  const databaseUrl = requireDatabaseUrl(config);
  const orm = await openOrm({ url: databaseUrl, poolMax: config.database.poolMax });
  await migrate(orm);
  const { secret } = resolveServerSecret(config);
  await ensureBootstrapToken(orm.em, secret, config.adminToken);
  // No staff yet: a one-time link sets up the first owner (each start replaces the previous link).
  const setup = await prepareFirstOwner(orm.em, secret, config.http.publicUrl);
  if (setup) process.stdout.write(`Set up the first owner (one-time link, valid until ${setup.expiresAt.toISOString()}): ${setup.url}\n`);
  const api = await startApiServer({ ...apiServerSettings(config), em: orm.em, secret, logger, temporal: temporalTarget(config), databaseUrl });
  logger.info({ url: config.http.publicUrl }, 'API listening');
  await untilShutdownSignal();
  await api.close();
  await orm.close(true);
} catch (error) {
  if (isOneLineError(error)) printOneLine(error);
  else logger.fatal({ err: error }, 'the API failed');
  process.exitCode = 1;
}
