import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type { Logger } from '../lib/logger.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface LicenseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  em: EntityManager;
  logger: Logger;
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
    activities: createActivities({
      em: options.em,
      logger: options.logger,
      // The worker's own connection serves the activities that talk to Temporal.
      temporal: new Client({ connection: options.connection, namespace: options.namespace }),
      taskQueue: options.taskQueue,
    }),
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
