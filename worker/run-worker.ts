import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { StripeSettings } from '../lib/config.ts';
import type { Logger } from '../lib/logger.ts';
import type { WorkerTuning } from '../lib/worker-tuning.ts';
import { createStripeClient } from '../lib/stripe-client.ts';
import { registerSearchAttributes } from '../temporal/search-attribute-registration.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';
import { ensureLicenseSchedules, type LicenseScheduleSettings } from './license-schedules.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import type { UsageConfig } from '../lib/usage-config.ts';
import { sweepPendingDeliveries } from './pending-deliveries.ts';
import { connectWorker, createLicenseWorker, workerLifecycleClient, workflowsPath, type LicenseWorkerOptions } from './worker.ts';

export interface RunningWorker {
  /** Settles when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

async function withRetry<T>(what: string, logger: Logger, attempt: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let delay = 250;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      logger.warn({ err: (error as Error).message }, `${what} failed; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/**
 * Bundles the workflow code (webpack, seconds of CPU) as Worker.create would, so that a caller
 * can do it while other things start; runLicenseWorker takes the result.
 */
export function bundleLicenseWorkflows(logger: Logger): Promise<WorkflowBundleWithSourceMap> {
  installTemporalRuntime(logger);
  return bundleWorkflowCode({ workflowsPath, logger: Runtime.instance().logger });
}

/**
 * Connects to Temporal (retrying while it comes up), registers the search attributes, creates
 * or updates the schedules, and runs the license worker until shutdown() is called.
 */
export async function runLicenseWorker(options: {
  em: EntityManager;
  logger: Logger;
  temporal: TemporalTarget;
  taskQueue: string;
  schedules: Pick<LicenseScheduleSettings, 'reconcileEvery'>;
  /** The outreach config parsed at start-up, and the server secret. */
  delivery: LicenseWorkerOptions['delivery'];
  /** With Stripe configured, the nightly reconciliation schedule is created (or updated). */
  stripe?: StripeSettings;
  /** Workflow cache and concurrency (config.worker). */
  tuning?: WorkerTuning;
  /** Usage maintenance and abuse checks: their schedules and the raw events' retention. */
  usage?: Pick<UsageConfig, 'rawRetentionDays' | 'maintenanceEvery' | 'abuseCheckEvery'>;
  /** The deadline of each call to Temporal (TEMPORAL_CALL_TIMEOUT). */
  callTimeoutMs?: number;
  /** The workflow code bundled ahead (bundleLicenseWorkflows); by default the worker bundles it. */
  workflowBundle?: Promise<WorkflowBundleWithSourceMap>;
}): Promise<RunningWorker> {
  const { logger, temporal } = options;
  installTemporalRuntime(logger);
  const client = await withRetry('connecting to Temporal', logger, () =>
    Connection.connect({ address: temporal.address, tls: temporal.tls ?? (temporal.apiKey ? true : undefined), apiKey: temporal.apiKey }),
  );
  try {
    const added = await registerSearchAttributes(client, temporal.namespace);
    if (added.length) logger.info({ added }, 'registered Temporal search attributes');
  } catch (error) {
    // Temporal Cloud registers attributes through its own control plane, not the operator API.
    logger.warn({ err: (error as Error).message }, 'could not register search attributes; register them with `temporal operator search-attribute create`');
  }
  try {
    const schedules = await ensureLicenseSchedules(new Client({ connection: client, namespace: temporal.namespace }), options.taskQueue, {
      reconcileEvery: options.schedules.reconcileEvery,
      stripeReconcileCron: options.stripe?.reconcileCron ?? null,
      stripeReconcileLookbackDays: options.stripe?.reconcileLookbackDays,
      usageMaintenanceEvery: options.usage?.maintenanceEvery ?? '1h',
      abuseCheckEvery: options.usage?.abuseCheckEvery ?? null,
      seatSnapshots: true,
    });
    logger.info({ schedules }, 'Temporal schedules in place');
  } catch (error) {
    // Licenses and webhooks keep working without them; the next start tries again.
    logger.error({ err: (error as Error).message }, 'could not create or update the Temporal schedules');
  } finally {
    await client.close();
  }
  const connection: NativeConnection = await connectWorker(temporal);
  const worker = await createLicenseWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: options.taskQueue,
    em: options.em,
    logger,
    delivery: options.delivery,
    stripe: options.stripe ? createStripeClient(options.stripe) : undefined,
    tuning: options.tuning,
    usage: options.usage ? { rawRetentionDays: options.usage.rawRetentionDays } : undefined,
    callTimeoutMs: options.callTimeoutMs,
    overrides: options.workflowBundle ? { workflowBundle: await options.workflowBundle } : undefined,
  });
  const deliveries = workerLifecycleClient({ connection, namespace: temporal.namespace, taskQueue: options.taskQueue, em: options.em, callTimeoutMs: options.callTimeoutMs }, options.delivery.deliveryRetry);
  const sweeper = sweepPendingDeliveries({ em: options.em, deliveries, logger });
  // The sweep starts deliveries through this connection (and reads through the caller's pool):
  // it finishes before the connection closes, and before shutdown() resolves, so the caller
  // may close the pool next. A sweep cut off by the closing connection logged a gRPC error.
  const done = worker.run().finally(async () => {
    await sweeper.stop();
    await deliveries.drain();
    await connection.close();
  });
  return {
    done,
    async shutdown() {
      const sweepStopped = sweeper.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await sweepStopped;
      await done;
    },
  };
}
