/** `npm run migrate`: applies committed migrations and exits (a deploy step). */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/logger.ts';
import { requireDatabaseUrl } from '../lib/runtime.ts';
import { migrate, openOrm } from '../schema/orm.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel, 'keywarden-migrate');
const orm = await openOrm({ url: requireDatabaseUrl(config) });
try {
  const applied = await migrate(orm);
  logger.info({ applied }, applied.length ? 'applied migrations' : 'database is up to date');
} finally {
  await orm.close(true);
}
