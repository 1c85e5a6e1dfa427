import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type Stripe from 'stripe';
import type { Logger } from '../lib/logger.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import type { ProviderTls } from '../outreach/customerio-gateway.ts';
import type { LifecycleClient } from '../temporal/lifecycle-client.ts';
import { applyLicenseChange } from '../domain/licenses/apply-license-change.ts';
import { pushPlanPolicyPage } from './plans/push-plan-policy-page.ts';
import { bulkOperationActivities } from './bulk-operations.ts';
import { reconcileLicensePage } from './reconciliation/reconcile-license-page.ts';
import { deliverMessage, markMessageFailed } from './deliver-message.ts';
import { queueRenewalTaskUpdates } from './queue-renewal-task-update.ts';
import { recordNotification } from './record-notification.ts';
import { reserveDeliverySlot } from './reserve-delivery-slot.ts';
import { revokeLicense } from './revoke-license.ts';
import { reconcileMissedCheckoutsActivity } from './stripe/reconcile-missed-checkouts.ts';
import { reconcileOneTimeReversalsActivity } from './stripe/reconcile-one-time-reversals.ts';
import { reconcileStripeSubscriptionsActivity } from './stripe/reconcile-stripe-subscriptions.ts';
import { snapshotSeats } from '../domain/reports/snapshot-seats.ts';
import { maintainUsage } from './usage/maintain-usage.ts';
import { runAbuseChecksActivity } from './abuse/run-abuse-checks.ts';

export interface ActivityDependencies {
  em: EntityManager;
  logger: Logger;
  /** For activities that start, signal or inspect workflows (drift reconciliation, message delivery, Stripe reconciliation). */
  lifecycle: LifecycleClient;
  /** Providers and their credentials, as parsed at start-up (`OUTREACH_WITHOUT_PROVIDERS`: none, messages are recorded NOT_SENT). */
  outreach: OutreachConfig;
  /** Decrypts the stored key copy for the license-issued email. */
  secret?: ServerSecret;
  /** TLS for provider connections (tests: the local servers' CA). */
  providerTls?: ProviderTls;
  /** Start each message's delivery workflow when it is recorded (default true); else the worker's sweep does. */
  startDeliveries?: boolean;
  /** The Stripe API client; without it the reconciliation reports Stripe as not configured (missed checkouts also need `secret`). */
  stripe?: Stripe;
  /** Usage capture's retention (USAGE_RAW_RETENTION_DAYS, default 30). */
  usage?: { rawRetentionDays: number };
}

/** Builds the activities with their dependencies, so tests can pass others. */
export function createActivities(deps: ActivityDependencies) {
  const { outreach } = deps;
  const queue = { em: deps.em, deliveries: deps.startDeliveries === false ? undefined : deps.lifecycle };
  // Every lifecycle write, a revocation included, also updates the renewal task whose terms it changes.
  const applyChange = queueRenewalTaskUpdates(queue, applyLicenseChange(deps.em));
  return {
    applyLicenseChange: applyChange,
    recordNotification: recordNotification({ ...queue, outreach }),
    revokeLicense: revokeLicense(applyChange),
    reconcileLicensePage: reconcileLicensePage(deps),
    pushPlanPolicyPage: pushPlanPolicyPage(deps),
    deliverMessage: deliverMessage({ em: deps.em, logger: deps.logger, outreach, secret: deps.secret, tls: deps.providerTls }),
    markMessageFailed: markMessageFailed(deps.em),
    reserveDeliverySlot: reserveDeliverySlot({ em: deps.em, outreach }),
    reconcileStripeSubscriptions: reconcileStripeSubscriptionsActivity(deps),
    reconcileMissedCheckouts: reconcileMissedCheckoutsActivity({ ...deps, deliveries: queue.deliveries }),
    reconcileOneTimeReversals: reconcileOneTimeReversalsActivity(deps),
    /** The day's seat snapshot (the seat-snapshot schedule): idempotent, so a retry rewrites the same day. */
    snapshotSeats: (day?: string) => snapshotSeats(deps.em, day),
    maintainUsage: maintainUsage({ em: deps.em, rawRetentionDays: deps.usage?.rawRetentionDays ?? 30 }),
    runAbuseChecks: runAbuseChecksActivity({ em: deps.em, lifecycle: deps.lifecycle }),
    ...bulkOperationActivities(deps),
  };
}

export type LicenseActivities = ReturnType<typeof createActivities>;
