import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface RecordNotificationInput {
  licenseId: string;
  event: string;
  /** License, period end and offset (or event id): the same message is never recorded twice. */
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/**
 * Records an outbound message in the outbox, once per idempotency key: activity retries and
 * worker crashes never queue it twice. Delivery (Customer.io, HubSpot) drains the outbox.
 */
export function recordNotification(em: EntityManager) {
  return async (input: RecordNotificationInput) => {
    const rows = await em.fork().execute<{ id: string }[]>(
      `insert into outbox_message (id, license_id, event, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
       select ?, l.id, ?, ?, c.email, ?, 'PENDING', 0, now(), now()
         from license l left join customer c on c.id = l.customer_id where l.id = ?
       on conflict (idempotency_key) do nothing returning id`,
      [randomUUID(), input.event, input.idempotencyKey, JSON.stringify(input.data), input.licenseId],
    );
    return { recorded: rows.length > 0 };
  };
}
