/** `npm run migrate`: applies committed migrations and exits (a deploy step). */
import { isOneLineError, loadConfigOrExit, printOneLine } from '../lib/entry-point.ts';
import { createLogger } from '../lib/logger.ts';
import { requireDatabaseUrl } from '../lib/runtime.ts';
import { migrate, openOrm } from '../schema/orm.ts';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel, 'keywarden-migrate');
try {
  const orm = await openOrm({ url: requireDatabaseUrl(config) });
  try {
    const applied = await migrate(orm);
    logger.info({ applied }, applied.length ? 'applied migrations' : 'database is up to date');
  } finally {
    await orm.close(true);
  }
} catch (error) {
  if (isOneLineError(error)) printOneLine(error);
  else logger.fatal({ err: error }, 'migrating failed');
  process.exitCode = 1;
}
