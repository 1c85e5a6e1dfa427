import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../lib/logger.ts';
import { revokeLicense } from './revoke-license.ts';

export interface ActivityDependencies {
  em: EntityManager;
  logger: Logger;
}

/** Builds the activities with their dependencies, so tests can pass others. */
export function createActivities(deps: ActivityDependencies) {
  return {
    revokeLicense: revokeLicense(deps.em),
  };
}

export type LicenseActivities = ReturnType<typeof createActivities>;
