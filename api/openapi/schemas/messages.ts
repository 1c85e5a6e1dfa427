import { z } from 'zod';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '../../../schema/outbox/outbox-message.entity.ts';
import { retryMessageRequest } from '../../messages/list-messages.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { metadata, page, timestamp, uuid } from './common.ts';

export const MessageStatus = responseSchema(
  'MessageStatus',
  z.enum(OUTBOX_STATUSES),
  'PENDING: being delivered (retrying on provider outages). SENT: the provider accepted it. FAILED: rejected, or retries exhausted (see `last_error`). NOT_SENT: recorded only (the provider is not configured).',
);

/** Mirrors messageResource() in api/messages/list-messages.ts. */
export const Message = responseSchema(
  'Message',
  z.object({
    id: uuid,
    license_id: uuid,
    event: z.string().describe('license_issued, renewal_reminder, trial_ending, payment_failed, license_suspended, license_expired, license_revoked, license_renewed, renewal_task, renewal_task_update.'),
    channel: z.enum(OUTBOX_CHANNELS).describe('customerio: email and events for the customer; hubspot: renewal tasks for the account owner.'),
    recipient: z.string().nullable().describe('The customer\'s email.'),
    status: MessageStatus,
    attempts: z.number().int().min(0).describe('Delivery attempts made so far.'),
    last_error: z.string().nullable(),
    provider_message_id: z.string().nullable().describe('Customer.io event id or delivery id, or the HubSpot task id.'),
    payload: metadata.describe('What the message says (never a license key).'),
    workflow_id: z.string().describe('The Temporal workflow delivering it.'),
    created_at: timestamp,
    updated_at: timestamp,
    sent_at: timestamp.nullable(),
  }),
  'An outbound message in the outbox.',
);
export const MessagePage = page('MessagePage', Message);
export const RetryMessageRequest = requestSchema('RetryMessageRequest', retryMessageRequest, 'A staff retry of a message whose delivery ended unsent; the reason goes to the audit trail.');
