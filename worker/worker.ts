import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type Stripe from 'stripe';
import type { Logger } from '../lib/logger.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface LicenseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  em: EntityManager;
  logger: Logger;
  /** The Stripe API client, for the nightly reconciliation. */
  stripe?: Stripe;
  /** Overrides for tests, e.g. a prebuilt workflow bundle. */
  overrides?: Partial<WorkerOptions>;
}

/** The worker that runs license workflows and their activities. */
export async function createLicenseWorker(options: LicenseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath,
    activities: createActivities({ em: options.em, logger: options.logger, stripe: options.stripe }),
    ...options.overrides,
  });
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: target.address,
    tls: target.tls ?? (target.apiKey ? true : undefined),
    apiKey: target.apiKey,
  });
}
