import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type { OutboxStatus } from '../schema/outbox/outbox-message.entity.ts';
import { isUrgent } from '../domain/outbox/message-events.ts';
import { budgetSpends } from '../outreach/provider-budgets.ts';
import { reserveSendTime } from '../outreach/rate-budget.ts';

export interface DeliverySlot {
  /** PENDING: wait `waitMs`, then deliver. Anything else: the message is settled (or gone), nothing to send. */
  status: OutboxStatus | 'MISSING';
  waitMs: number;
}

/**
 * Before a message is delivered: reserves its requests' send time within each provider API's
 * rate limit (outreach/rate-budget.ts) and answers how long to wait. The delivery workflow
 * waits on a durable timer, so a burst of messages waits in Temporal, not in a worker's memory.
 */
export function reserveDeliverySlot(deps: { em: EntityManager; outreach: OutreachConfig }) {
  return async (input: { outboxId: string }): Promise<DeliverySlot> => {
    const [message] = await deps.em.fork().execute<{ channel: string; event: string; status: OutboxStatus }[]>(
      `select channel, event, status from outbox_message where id = ?`,
      [input.outboxId],
    );
    if (!message) return { status: 'MISSING', waitMs: 0 };
    if (message.status !== 'PENDING') return { status: message.status, waitMs: 0 };
    return { status: 'PENDING', waitMs: await reserveSendTime(deps.em, budgetSpends(message, deps.outreach), isUrgent(message)) };
  };
}
