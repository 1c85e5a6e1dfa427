import type { OutreachConfig } from '../lib/config.ts';
import { queueMessage, type MessageQueueDeps } from '../outreach/queue-message.ts';
import { RENEWAL_TASK } from '../outreach/deliver-hubspot.ts';

export interface RecordNotificationInput {
  licenseId: string;
  event: string;
  /** License, period end and offset (or event id): the same message is never recorded twice. */
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/** Days before expiry at which CRM-managed licenses get a renewal task for their account owner. */
export const RENEWAL_TASK_DAYS_BEFORE = 90;

/**
 * Records an outbound message in the outbox, once per idempotency key: activity retries and
 * worker crashes never queue it twice. Then starts its delivery workflow (`message-<id>`) and
 * returns at once: the license workflow never waits on a provider. The 90-day renewal reminder
 * of a license on a CRM-managed tier also queues the account owner's HubSpot renewal task.
 */
export function recordNotification(deps: MessageQueueDeps & { outreach: Pick<OutreachConfig, 'hubspot'> }) {
  return async (input: RecordNotificationInput) => {
    const queued = await queueMessage(deps, { ...input, channel: 'customerio' });
    if (input.event === 'renewal_reminder' && Number(input.data.days_before) === RENEWAL_TASK_DAYS_BEFORE) {
      const [row] = await deps.em.fork().execute<{ tier: string }[]>(`select p.tier from license l join plan p on p.id = l.plan_id where l.id = ?`, [input.licenseId]);
      if (row && deps.outreach.hubspot.crmTiers.includes(row.tier)) {
        await queueMessage(deps, { licenseId: input.licenseId, event: RENEWAL_TASK, channel: 'hubspot', idempotencyKey: `${input.idempotencyKey}:hubspot`, data: input.data });
      }
    }
    return { recorded: queued.recorded, id: queued.id };
  };
}
