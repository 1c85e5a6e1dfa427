import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../lib/logger.ts';
import type { MessageDeliveries } from '../domain/outbox/queue-message.ts';

/**
 * The safety net of the outbox: every minute, starts the delivery of PENDING messages older
 * than a minute that no attempt has reached (a crash between insert and start, or a row another
 * component wrote without starting its delivery); messages already retrying never crowd them out. Starting is idempotent, so messages already in delivery are untouched.
 */
export function sweepPendingDeliveries(options: { em: EntityManager; deliveries: MessageDeliveries; logger: Logger; intervalMs?: number }): { stop(): void } {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const rows = await options.em.fork().execute<{ id: string; event: string }[]>(
        `select id, event from outbox_message where status = 'PENDING' and attempts = 0 and created_at < now() - interval '1 minute' order by created_at limit 500`,
      );
      let started = 0;
      for (const row of rows) if (await options.deliveries.startDelivery(row.id, row.event)) started += 1;
      if (started) options.logger.info({ started }, 'started deliveries of pending outbox messages');
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'sweeping pending outbox messages failed; trying again later');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(sweep, options.intervalMs ?? 60_000);
  timer.unref();
  void sweep();
  return { stop: () => clearInterval(timer) };
}
