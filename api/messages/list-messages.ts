import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { License, OutboxMessage } from '../../schema/entities.ts';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES, type OutboxMessageEntity } from '../../schema/outbox/outbox-message.entity.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';

const filters = {
  status: z.enum(OUTBOX_STATUSES).optional(),
  event: text().min(1).max(100).optional().describe('e.g. renewal_reminder, license_issued, renewal_task.'),
  channel: z.enum(OUTBOX_CHANNELS).optional(),
};

export const listMessagesQuery = pageQuerySchema.extend({ ...filters, license_id: idParam.optional() }).strict();
export const listLicenseMessagesQuery = pageQuerySchema.extend(filters).strict();

/** The admin view of an outbox message: what, to whom, and how its delivery went. */
export function messageResource(message: OutboxMessageEntity) {
  return {
    id: message.id,
    license_id: typeof message.license === 'object' ? message.license.id : (message.license as string),
    event: message.event,
    channel: message.channel,
    recipient: message.recipient ?? null,
    status: message.status,
    attempts: message.attempts,
    last_error: message.lastError ?? null,
    provider_message_id: message.providerMessageId ?? null,
    payload: message.payload,
    workflow_id: `message-${message.id}`,
    created_at: iso(message.createdAt),
    updated_at: iso(message.updatedAt),
    sent_at: iso(message.sentAt),
  };
}

/** A staff retry of a message whose delivery ended unsent: why (it goes to the audit trail). */
export const retryMessageRequest = z.object({ reason: text().trim().min(1).max(1000).describe('Why it is sent again (the audit trail keeps it).') }).strict();

/** One outbox message (404 MESSAGE_NOT_FOUND). */
export async function getMessage(em: EntityManager, id: string) {
  const message = await em.fork().findOne(OutboxMessage, { id });
  if (!message) throw new Problem('MESSAGE_NOT_FOUND', `no outbox message with id ${id}`);
  return messageResource(message);
}

/** Outbox messages matching the filters, newest first, one page at a time. */
export function listMessages(em: EntityManager, query: z.infer<typeof listMessagesQuery>) {
  const where: Record<string, unknown> = {};
  if (query.status) where.status = query.status;
  if (query.event) where.event = query.event;
  if (query.channel) where.channel = query.channel;
  if (query.license_id) where.license = query.license_id;
  return paginate(em, OutboxMessage, where, query, messageResource);
}

/** One license's messages (404 for an unknown license). */
export async function listLicenseMessages(em: EntityManager, licenseId: string, query: z.infer<typeof listLicenseMessagesQuery>) {
  if (!(await em.fork().count(License, { id: licenseId }))) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
  return listMessages(em, { ...query, license_id: licenseId });
}
