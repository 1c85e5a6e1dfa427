import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Logger } from '../lib/logger.ts';
import { applyLicenseChange } from './apply-license-change.ts';
import { reconcileLicensePage } from './reconciliation/reconcile-license-page.ts';
import { recordNotification } from './record-notification.ts';
import { revokeLicense } from './revoke-license.ts';

export interface ActivityDependencies {
  em: EntityManager;
  logger: Logger;
  /** For activities that start, signal or inspect workflows (drift reconciliation). */
  temporal: Client;
  taskQueue: string;
}

/** Builds the activities with their dependencies, so tests can pass others. */
export function createActivities(deps: ActivityDependencies) {
  return {
    applyLicenseChange: applyLicenseChange(deps.em),
    recordNotification: recordNotification(deps.em),
    revokeLicense: revokeLicense(deps.em),
    reconcileLicensePage: reconcileLicensePage(deps),
  };
}

export type LicenseActivities = ReturnType<typeof createActivities>;
