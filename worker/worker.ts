import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type Stripe from 'stripe';
import { createActivities, type ActivityDependencies } from '../activities/index.ts';
import type { Logger } from '../lib/logger.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';
import { LifecycleClient } from '../temporal/lifecycle-client.ts';
import type { DeliveryRetry } from '../workflows/message-delivery.workflow.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface LicenseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  em: EntityManager;
  logger: Logger;
  /**
   * Message delivery: the providers parsed at start-up (`OUTREACH_WITHOUT_PROVIDERS` when none),
   * the server secret (license keys), retry policy, provider TLS.
   */
  delivery: Pick<ActivityDependencies, 'outreach' | 'secret' | 'providerTls'> & { deliveryRetry?: DeliveryRetry };
  /**
   * Start each message's delivery workflow when it is recorded (default). The lifecycle
   * scenarios on the time-skipping server turn it off: its clock and message handling are
   * fragile with extra workflows running beside a license's (see docs/lifecycle.md, the lifecycle tests).
   */
  startDeliveries?: boolean;
  /** The Stripe API client, for the nightly reconciliation. */
  stripe?: Stripe;
  /** The deadline of each call the activities make to Temporal (TEMPORAL_CALL_TIMEOUT). */
  callTimeoutMs?: number;
  /** Raw usage events' retention (USAGE_RAW_RETENTION_DAYS). */
  usage?: ActivityDependencies['usage'];
  /** Overrides for tests, e.g. a prebuilt workflow bundle. */
  overrides?: Partial<WorkerOptions>;
}

/** The worker that runs license workflows, message deliveries and their activities. */
export async function createLicenseWorker(options: LicenseWorkerOptions): Promise<Worker> {
  const { deliveryRetry, ...delivery } = options.delivery;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // A bundle built ahead replaces the path (the SDK would warn that it ignores one).
    ...(options.overrides?.workflowBundle ? {} : { workflowsPath }),
    activities: createActivities({
      em: options.em,
      logger: options.logger,
      // The worker's own connection serves the activities that talk to Temporal.
      lifecycle: workerLifecycleClient(options, deliveryRetry),
      startDeliveries: options.startDeliveries,
      stripe: options.stripe,
      usage: options.usage,
      ...delivery,
    }),
    ...options.overrides,
  });
}

/** The Temporal client module on the worker's own connection. */
export function workerLifecycleClient(options: Pick<LicenseWorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'em' | 'callTimeoutMs'>, deliveryRetry?: DeliveryRetry): LifecycleClient {
  return new LifecycleClient({
    client: new Client({ connection: options.connection, namespace: options.namespace }),
    em: options.em,
    taskQueue: options.taskQueue,
    callTimeoutMs: options.callTimeoutMs,
    deliveryRetry,
  });
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: target.address,
    tls: target.tls ?? (target.apiKey ? true : undefined),
    apiKey: target.apiKey,
  });
}
