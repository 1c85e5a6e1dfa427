import type { StoredStripeEvent } from '../../domain/stripe/stripe-event-log.ts';
import type { StripeEventEntity } from '../../schema/stripe/stripe-event.entity.ts';
import { iso } from '../http/resources.ts';

/** A stored Stripe event as the admin API shows it: what it was, and what became of it. */
export function stripeEventResource(event: StripeEventEntity) {
  return {
    id: event.id,
    type: event.type,
    status: event.status,
    stripe_created_at: iso(event.stripeCreatedAt)!,
    received_at: iso(event.createdAt)!,
    processed_at: iso(event.processedAt),
    attempts: event.attempts,
    subscription_id: event.subscriptionId ?? null,
    license_id: event.licenseId ?? null,
    detail: event.detail ?? null,
    error_code: event.errorCode ?? null,
    error: event.error ?? null,
  };
}

/** The same, from a raw row (the event log's own queries). */
export function storedEventResource(row: StoredStripeEvent & Record<string, any>) {
  return stripeEventResource({
    id: row.id,
    type: row.type,
    status: row.status,
    stripeCreatedAt: new Date(row.stripe_created_at),
    createdAt: new Date(row.created_at),
    processedAt: row.processed_at ? new Date(row.processed_at) : null,
    attempts: row.attempts,
    subscriptionId: row.subscription_id,
    licenseId: row.license_id,
    detail: row.detail,
    errorCode: row.error_code,
    error: row.error,
  } as StripeEventEntity);
}
