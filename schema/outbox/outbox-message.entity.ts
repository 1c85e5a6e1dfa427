import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

export const OUTBOX_STATUSES = ['PENDING', 'SENT', 'FAILED', 'NOT_SENT'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
/** Who delivers the message: Customer.io (email, events) or HubSpot (renewal tasks for the account owner). */
export const OUTBOX_CHANNELS = ['customerio', 'hubspot'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

/**
 * Every outbound message the lifecycle decides on (renewal reminders, expiry and suspension
 * notices, …). The workflow records it once, under an idempotency key of license, period end
 * and offset; delivery adapters (Customer.io, HubSpot) drain the PENDING ones.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  indexes: [{ name: 'outbox_message_status_index', properties: ['status', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade').index('outbox_message_license_index'),
    /** `renewal_reminder`, `trial_ending`, `payment_failed`, `license_suspended`, … */
    event: p.string().length(100),
    channel: p.string().length(32).default('customerio'),
    idempotencyKey: p.string().length(300).unique('outbox_message_idempotency_key_unique'),
    recipient: p.string().length(320).nullable(),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum(OUTBOX_STATUSES).nativeEnumName('outbox_status').default('PENDING'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    providerMessageId: p.string().length(255).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});

export type OutboxMessageEntity = InferEntity<typeof OutboxMessage>;
