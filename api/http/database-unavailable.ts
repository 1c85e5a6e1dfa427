import { DATABASE_RETRY_AFTER_SECONDS } from '../../lib/database-unavailable.ts';
import { Problem } from './problem.ts';

/** The answer to any request that needed Postgres while it was unreachable. */
export function databaseUnavailableProblem(): Problem {
  return new Problem('DATABASE_UNAVAILABLE', `the database is not answering, so this request could not be completed; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`, {
    headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  });
}
