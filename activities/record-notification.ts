import type { OutreachConfig } from '../lib/outreach-config.ts';
import { queueMessage, type MessageQueueDeps } from '../domain/outbox/queue-message.ts';
import { RENEWAL_TASK } from '../outreach/deliver-hubspot.ts';

export interface RecordNotificationInput {
  licenseId: string;
  event: string;
  /** License, period end and offset (or event id): the same message is never recorded twice. */
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/**
 * Days before expiry from which CRM-managed licenses have a renewal task for their account owner:
 * opened by the first renewal reminder in that window (the 90-day one, or a later one for a
 * license that started inside it), brought up to date by each later reminder.
 */
export const RENEWAL_TASK_DAYS_BEFORE = 90;

/**
 * Records an outbound message in the outbox, once per idempotency key: activity retries and
 * worker crashes never queue it twice. Then starts its delivery workflow (`message-<id>`) and
 * returns at once: the license workflow never waits on a provider. A renewal reminder within
 * RENEWAL_TASK_DAYS_BEFORE of expiry, on a CRM-managed tier, also queues the account owner's
 * HubSpot renewal task: delivery opens it once per period and updates it after that.
 */
export function recordNotification(deps: MessageQueueDeps & { outreach: Pick<OutreachConfig, 'hubspot'> }) {
  return async (input: RecordNotificationInput) => {
    const queued = await queueMessage(deps, { ...input, channel: 'customerio' });
    if (input.event === 'renewal_reminder' && Number(input.data.days_before) <= RENEWAL_TASK_DAYS_BEFORE) {
      const [row] = await deps.em.fork().execute<{ tier: string }[]>(`select p.tier from license l join plan p on p.id = l.plan_id where l.id = ?`, [input.licenseId]);
      if (row && deps.outreach.hubspot.crmTiers.includes(row.tier)) {
        await queueMessage(deps, { licenseId: input.licenseId, event: RENEWAL_TASK, channel: 'hubspot', idempotencyKey: `${input.idempotencyKey}:hubspot`, data: input.data });
      }
    }
    return { recorded: queued.recorded, id: queued.id };
  };
}
