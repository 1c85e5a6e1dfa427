import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Logger } from '../lib/logger.ts';
import { applyLicenseChange } from './apply-license-change.ts';
import { recordNotification } from './record-notification.ts';
import { revokeLicense } from './revoke-license.ts';
import { reconcileStripeSubscriptions } from './stripe/reconcile-stripe-subscriptions.ts';

export interface ActivityDependencies {
  em: EntityManager;
  logger: Logger;
  /** The Stripe API client; without it the reconciliation reports Stripe as not configured. */
  stripe?: Stripe;
}

/** Builds the activities with their dependencies, so tests can pass others. */
export function createActivities(deps: ActivityDependencies) {
  return {
    applyLicenseChange: applyLicenseChange(deps.em),
    recordNotification: recordNotification(deps.em),
    revokeLicense: revokeLicense(deps.em),
    reconcileStripeSubscriptions: reconcileStripeSubscriptions(deps),
  };
}

export type LicenseActivities = ReturnType<typeof createActivities>;
