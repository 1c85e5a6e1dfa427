import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../lib/logger.ts';
import { applyLicenseChange } from './apply-license-change.ts';
import { recordNotification } from './record-notification.ts';
import { revokeLicense } from './revoke-license.ts';

export interface ActivityDependencies {
  em: EntityManager;
  logger: Logger;
}

/** Builds the activities with their dependencies, so tests can pass others. */
export function createActivities(deps: ActivityDependencies) {
  return {
    applyLicenseChange: applyLicenseChange(deps.em),
    recordNotification: recordNotification(deps.em),
    revokeLicense: revokeLicense(deps.em),
  };
}

export type LicenseActivities = ReturnType<typeof createActivities>;
