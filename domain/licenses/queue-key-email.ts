import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queueMessage, startDelivery, type MessageDeliveries } from '../outbox/queue-message.ts';

export interface KeyEmailDeps {
  em: EntityManager;
  /** Starts the e-mail's delivery; without it the worker's outbox sweep does. */
  deliveries?: MessageDeliveries;
}

/** What became of a key e-mail: queued (its outbox row), or why not. */
export type KeyEmailOutcome = { queued: true; outboxId: string } | { queued: false; reason: string };

/**
 * Queues the e-mail that carries a license's current key (a rotated key, a key sent again).
 * The payload names the occasion, never the key: delivery decrypts the license's stored copy
 * (outreach/deliver-customerio.ts), so the key that goes out is the key the license has then.
 * A failure to queue leaves the caller's change standing and is reported, not thrown.
 */
export async function queueKeyEmail(deps: KeyEmailDeps, licenseId: string, event: string, data: Record<string, unknown>): Promise<KeyEmailOutcome> {
  let id: string | null;
  try {
    // Recorded first, started after: a delivery that cannot start now (Temporal unreachable)
    // leaves the row PENDING for the worker's outbox sweep, and the e-mail still goes out.
    ({ id } = await queueMessage({ em: deps.em }, { licenseId, event, channel: 'customerio', idempotencyKey: `${event}:${licenseId}:${randomUUID()}`, data: { key_event: event, ...data } }));
  } catch (error) {
    return { queued: false, reason: `the e-mail could not be queued: ${(error as Error).message}` };
  }
  if (!id) return { queued: false, reason: 'the license no longer exists' };
  await startDelivery(deps, id, `${event} · customerio`).catch(() => undefined);
  return { queued: true, outboxId: id };
}
