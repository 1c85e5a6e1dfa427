import type { EntityManager } from '@mikro-orm/postgresql';
import { Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { StripeSettings } from '../lib/config.ts';
import type { Logger } from '../lib/logger.ts';
import { createStripeClient } from '../lib/stripe-client.ts';
import { ensureStripeReconciliationSchedule } from '../lib/stripe-schedule.ts';
import { Client } from '@temporalio/client';
import { registerSearchAttributes } from '../lib/search-attribute-registration.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import { connectWorker, createLicenseWorker } from './worker.ts';

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
 * Connects to Temporal (retrying while it comes up), registers the search attributes, and
 * runs the license worker until shutdown() is called.
 */
export async function runLicenseWorker(options: {
  em: EntityManager;
  logger: Logger;
  temporal: TemporalTarget;
  taskQueue: string;
  /** With Stripe configured, the nightly reconciliation schedule is created (or updated). */
  stripe?: StripeSettings;
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
    if (options.stripe) {
      const outcome = await ensureStripeReconciliationSchedule(new Client({ connection: client, namespace: temporal.namespace }), { taskQueue: options.taskQueue, cron: options.stripe.reconcileCron, logger });
      logger.info({ cron: options.stripe.reconcileCron, outcome }, 'Stripe reconciliation schedule in place');
    } else {
      logger.info('Stripe is not configured: no reconciliation schedule');
    }
  } catch (error) {
    // Webhooks keep working without it; the next start tries again.
    logger.error({ err: (error as Error).message }, 'could not create or update the Stripe reconciliation schedule');
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
    stripe: options.stripe ? createStripeClient(options.stripe) : undefined,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
