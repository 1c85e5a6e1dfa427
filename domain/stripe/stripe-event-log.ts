import type { EntityManager } from '@mikro-orm/postgresql';
import type { StripeEventStatus } from '../../schema/stripe/stripe-event.entity.ts';
import { eventPaymentIntentId, eventSubscriptionId } from './stripe-objects.ts';

/** A verified Stripe event, as the webhook or a replay hands it over. */
export interface StripeEventInput {
  id: string;
  type: string;
  created: number;
  livemode?: boolean;
  data: { object: Record<string, any>; previous_attributes?: Record<string, any> };
  [field: string]: unknown;
}

export interface StoredStripeEvent {
  id: string;
  type: string;
  stripe_created_at: Date;
  payload: StripeEventInput;
  status: StripeEventStatus;
  subscription_id: string | null;
  license_id: string | null;
  detail: string | null;
  error_code: string | null;
  error: string | null;
  attempts: number;
  /** When claimed: the status it was claimed from (PROCESSED: a replay of a fact delivered before). */
  previous_status?: StripeEventStatus;
}

/** A processing claim older than this is taken to belong to a crashed process. */
const CLAIM_TIMEOUT = `interval '2 minutes'`;

/** Records the event by its id, once: true when this call stored it, false for a duplicate. */
export async function recordStripeEvent(em: EntityManager, event: StripeEventInput): Promise<boolean> {
  const rows = await em.fork().execute<{ id: string }[]>(
    `insert into stripe_event (id, type, stripe_created_at, livemode, payload, status, subscription_id, payment_intent_id, attempts, created_at, updated_at)
     values (?, ?, to_timestamp(?), ?, ?, 'RECEIVED', ?, ?, 0, now(), now())
     on conflict (id) do nothing returning id`,
    [event.id, event.type, event.created, Boolean(event.livemode), JSON.stringify(event), eventSubscriptionId(event.type, event.data.object), eventPaymentIntentId(event.type, event.data.object)],
  );
  return rows.length > 0;
}

export async function loadStripeEvent(em: EntityManager, id: string): Promise<StoredStripeEvent | null> {
  const rows = await em.fork().execute<StoredStripeEvent[]>(`select * from stripe_event where id = ?`, [id]);
  return rows[0] ?? null;
}

/**
 * Takes the event for processing if its status is one of `from` (or a crashed process's claim
 * has expired). Concurrent callers race on one UPDATE: exactly one wins.
 */
export async function claimStripeEvent(em: EntityManager, id: string, from: StripeEventStatus[]): Promise<StoredStripeEvent | null> {
  // The row is locked before it is read, so a concurrent claim waits and then sees PROCESSING.
  const rows = await em.fork().execute<StoredStripeEvent[]>(
    `update stripe_event e set status = 'PROCESSING', claimed_at = now(), attempts = e.attempts + 1, updated_at = now()
       from (select id, status as previous_status from stripe_event where id = ? for update) previous
      where e.id = previous.id
        and (e.status = any(?::stripe_event_status[]) or (e.status = 'PROCESSING' and e.claimed_at < now() - ${CLAIM_TIMEOUT}))
      returning e.*, previous.previous_status`,
    [id, `{${from.join(',')}}`],
  );
  return rows[0] ?? null;
}

export interface EventResult {
  status: Exclude<StripeEventStatus, 'RECEIVED' | 'PROCESSING'>;
  detail?: string | null;
  errorCode?: string | null;
  error?: string | null;
  licenseId?: string | null;
  subscriptionId?: string | null;
}

/** Records how processing ended, if this process still holds the claim. */
export async function finishStripeEvent(em: EntityManager, id: string, result: EventResult): Promise<void> {
  await em.fork().execute(
    `update stripe_event set status = ?, detail = ?, error_code = ?, error = ?, license_id = coalesce(?, license_id),
            subscription_id = coalesce(?, subscription_id), processed_at = now(), claimed_at = null, updated_at = now()
      where id = ? and status = 'PROCESSING'`,
    [result.status, result.detail ?? null, result.errorCode ?? null, result.error ?? null, result.licenseId ?? null, result.subscriptionId ?? null, id],
  );
}

/**
 * Events waiting for their subscription's license, oldest (by Stripe's clock) first: DEFERRED,
 * and those a transient fault stopped (FAILED with `faultCode`) when they last ran, which may
 * have been in a cascade nobody redelivers. Checkouts are not among them: they provision.
 */
export async function waitingEventIds(em: EntityManager, subscriptionId: string, faultCode: string): Promise<string[]> {
  const rows = await em.fork().execute<{ id: string }[]>(
    `select id from stripe_event
      where subscription_id = ? and (status = 'DEFERRED' or (status = 'FAILED' and error_code = ? and type not like 'checkout.session.%'))
      order by stripe_created_at, id`,
    [subscriptionId, faultCode],
  );
  return rows.map((row) => row.id);
}

/**
 * Marks an event whose own processing ended (PROCESSED, IGNORED, DEFERRED) as FAILED with a
 * transient fault, because work that followed from it (the events it released) could not be
 * done: its redelivery or replay runs it, and so that work, again.
 */
export async function keepForRedelivery(em: EntityManager, id: string, result: Pick<EventResult, 'errorCode' | 'error'>): Promise<void> {
  await em.fork().execute(
    `update stripe_event set status = 'FAILED', error_code = ?, error = ?, updated_at = now()
      where id = ? and status in ('PROCESSED', 'IGNORED', 'DEFERRED')`,
    [result.errorCode ?? null, result.error ?? null, id],
  );
}

/** The newest subscription object Stripe sent about this subscription, if any event carried one. */
export async function latestSubscriptionObject(em: EntityManager, subscriptionId: string): Promise<Record<string, any> | null> {
  const rows = await em.fork().execute<{ object: Record<string, any> }[]>(
    `select payload->'data'->'object' as object from stripe_event
      where subscription_id = ? and type like 'customer.subscription.%' order by stripe_created_at desc, id desc limit 1`,
    [subscriptionId],
  );
  return rows[0]?.object ?? null;
}

/** The subscription of an invoice some stored event carried. */
export async function storedInvoiceSubscription(em: EntityManager, invoiceId: string): Promise<string | null> {
  const rows = await em.fork().execute<{ subscription_id: string }[]>(
    `select subscription_id from stripe_event
      where type like 'invoice.%' and payload->'data'->'object'->>'id' = ? and subscription_id is not null limit 1`,
    [invoiceId],
  );
  return rows[0]?.subscription_id ?? null;
}

/** Checkouts of this subscription that could not be applied (e.g. the API read found no plan). */
export async function failedCheckoutIds(em: EntityManager, subscriptionId: string): Promise<string[]> {
  const rows = await em.fork().execute<{ id: string }[]>(
    `select id from stripe_event where subscription_id = ? and status = 'FAILED' and type like 'checkout.session.%' order by stripe_created_at, id`,
    [subscriptionId],
  );
  return rows.map((row) => row.id);
}

/** True when a one-time (`mode: payment`) checkout paid by this payment intent has been received. */
export async function oneTimeCheckoutRecorded(em: EntityManager, paymentIntentId: string): Promise<boolean> {
  const rows = await em.fork().execute<{ found: number }[]>(
    `select 1 as found from stripe_event
      where payment_intent_id = ? and type like 'checkout.session.%' and payload->'data'->'object'->>'mode' = 'payment' limit 1`,
    [paymentIntentId],
  );
  return rows.length > 0;
}

/** True when a full refund or a dispute of this payment intent has been received (events can arrive out of order). */
export async function paymentReversed(em: EntityManager, paymentIntentId: string): Promise<boolean> {
  const rows = await em.fork().execute<{ found: number }[]>(
    `select 1 as found from stripe_event
      where payment_intent_id = ?
        and (type = 'charge.dispute.created' or (type = 'charge.refunded' and (payload->'data'->'object'->>'refunded')::boolean))
      limit 1`,
    [paymentIntentId],
  );
  return rows.length > 0;
}
