import { RENEWAL_TASK, RENEWAL_TASK_UPDATE } from '../domain/outbox/message-events.ts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CrmRenewalTask, OutboxMessage } from '../schema/entities.ts';
import type { OutboxMessageEntity } from '../schema/outbox/outbox-message.entity.ts';
import type { SendOutcome } from './deliver-customerio.ts';
import type { HubSpotGateway } from './hubspot-gateway.ts';
import type { MessageSubject } from './message-subject.ts';
import { renewalTaskProperties, renewalTerms } from './renewal-task.ts';
import { readRenewalSignals } from './renewal-signals.ts';

export { RENEWAL_TASK, RENEWAL_TASK_UPDATE };

/** Waiting for something that will happen: the delivery activity retries. */
export class NotYetError extends Error {
  override name = 'NotYetError';
}

/**
 * Creates the renewal task of the license's current period for its account owner (once: the
 * id is kept, and a retry searches for the task before creating it again), or updates the
 * existing one with the current terms. A renewal past the task's period completes it.
 */
export async function deliverHubSpot(
  em: EntityManager,
  gateway: HubSpotGateway,
  message: OutboxMessageEntity,
  subject: MessageSubject,
  context: { attempt: number; defaultOwnerId?: string; now: number },
): Promise<SendOutcome> {
  if (!gateway.configured) return { sent: false, reason: 'HubSpot is not configured (HUBSPOT_ACCESS_TOKEN); recorded only' };
  const target = { contactId: subject.customer?.hubspotContactId ?? null, companyId: subject.customer?.hubspotCompanyId ?? null };
  const signals = await readRenewalSignals(em, subject);
  const existing = await em.findOne(CrmRenewalTask, { license: subject.licenseId });
  const periodEnd = subject.expiresAt ? new Date(subject.expiresAt) : null;

  if (message.event === RENEWAL_TASK_UPDATE) {
    if (!existing) {
      const creating = await em.count(OutboxMessage, { license: subject.licenseId, channel: 'hubspot', event: RENEWAL_TASK, status: 'PENDING' });
      if (creating) throw new NotYetError('the renewal task is still being created');
      return { sent: false, reason: 'this license has no renewal task to update' };
    }
    const renewed = Boolean(existing.periodEnd && periodEnd && periodEnd > existing.periodEnd && subject.status === 'ACTIVE');
    const properties = renewalTaskProperties({ subject, signals, reference: `keywarden-${message.id}`, ownerId: null, now: context.now, status: renewed ? 'COMPLETED' : undefined });
    await gateway.updateTask(existing.hubspotTaskId, properties);
    existing.terms = renewalTerms(subject);
    await em.flush();
    return { sent: true, providerMessageId: existing.hubspotTaskId };
  }

  // A task for this period exists already: bring it up to date rather than open a second one.
  if (existing && existing.periodEnd?.getTime() === periodEnd?.getTime()) {
    await gateway.updateTask(existing.hubspotTaskId, renewalTaskProperties({ subject, signals, reference: `keywarden-${message.id}`, ownerId: null, now: context.now }));
    return { sent: true, providerMessageId: existing.hubspotTaskId };
  }
  if (!target.contactId && !target.companyId) return { sent: false, failed: true, reason: 'the customer has no HubSpot contact or company id to attach the task to' };
  const reference = `keywarden-${message.id}`;
  let taskId = context.attempt > 1 ? await gateway.findTask(reference) : null;
  if (!taskId) {
    const ownerId = (await gateway.ownerOf(target)) ?? context.defaultOwnerId ?? null;
    taskId = await gateway.createTask(renewalTaskProperties({ subject, signals, reference, ownerId, now: context.now, status: 'NOT_STARTED' }), target);
  }
  if (existing) {
    Object.assign(existing, { hubspotTaskId: taskId, periodEnd, terms: renewalTerms(subject) });
  } else {
    em.create(CrmRenewalTask, { id: randomUUID(), license: subject.licenseId, hubspotTaskId: taskId, periodEnd, terms: renewalTerms(subject) } as never);
  }
  await em.flush();
  return { sent: true, providerMessageId: taskId };
}
