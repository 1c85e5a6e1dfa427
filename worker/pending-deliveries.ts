import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../lib/logger.ts';
import type { MessageDeliveries } from '../domain/outbox/queue-message.ts';

export interface PendingDeliverySweeper {
  /**
   * No sweep starts after this; one in progress stops after the message it is starting.
   * Resolves when it has, so the Temporal connection and the database pool it uses can close.
   */
  stop(): Promise<void>;
}

/**
 * The safety net of the outbox: every minute, starts the delivery of PENDING messages older
 * than a minute that no attempt has reached (a crash between insert and start, or a row another
 * component wrote without starting its delivery); messages already retrying never crowd them out. Starting is idempotent, so messages already in delivery are untouched.
 */
export function sweepPendingDeliveries(options: { em: EntityManager; deliveries: MessageDeliveries; logger: Logger; intervalMs?: number }): PendingDeliverySweeper {
  let stopping = false;
  let inProgress: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const rows = await options.em.fork().execute<{ id: string; event: string }[]>(
        `select id, event from outbox_message where status = 'PENDING' and attempts = 0 and created_at < now() - interval '1 minute' order by created_at limit 500`,
      );
      let started = 0;
      for (const row of rows) {
        if (stopping) break;
        if (await options.deliveries.startDelivery(row.id, row.event)) started += 1;
      }
      if (started) options.logger.info({ started }, 'started deliveries of pending outbox messages');
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'sweeping pending outbox messages failed; trying again later');
    }
  };
  const tick = () => {
    if (stopping || inProgress) return;
    inProgress = sweep().finally(() => {
      inProgress = undefined;
    });
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await inProgress;
    },
  };
}
