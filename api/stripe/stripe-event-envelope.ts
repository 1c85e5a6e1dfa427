import { z } from 'zod';
import type { StripeEventInput } from '../../domain/stripe/stripe-event-log.ts';
import { eventPaymentIntentId, eventSubscriptionId } from '../../domain/stripe/stripe-objects.ts';
import type { Logger } from '../../lib/logger.ts';
import { findUnstorableJson, isStorableText, text } from '../../lib/text.ts';
import { Problem } from '../http/problem.ts';
import { stripeEventIdParam } from './stripe-events.ts';

/** 9999-12-31T23:59:59Z: Postgres' to_timestamp() and JavaScript's Date both hold it. */
const LAST_STORABLE_SECOND = 253_402_300_799;

/** A Stripe id the event log indexes (a subscription, a payment intent): what fits its column. */
const storableId = (id: string | null) => id === null || (id.length <= 255 && isStorableText(id));

/**
 * What the webhook needs of a Stripe event before it records it: the envelope Stripe signs
 * (`id`, `type`, `created`, `data.object`), with the types and ranges the event log stores.
 * Anything else is kept as Stripe sent it (loose objects): the payload is stored whole.
 */
export const stripeEventEnvelope = z
  .looseObject({
    id: stripeEventIdParam,
    object: z.literal('event').optional(),
    type: text().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be a Stripe event type such as invoice.paid').max(100),
    created: z.int().min(0).max(LAST_STORABLE_SECOND).describe('Unix seconds.'),
    livemode: z.boolean().optional(),
    data: z.looseObject({
      object: z.looseObject({}).describe('The Stripe object the event is about.'),
      previous_attributes: z.looseObject({}).optional(),
    }),
  })
  .superRefine((event, ctx) => {
    const problem = findUnstorableJson(event);
    if (problem) return void ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    const object = event.data.object as Record<string, unknown>;
    if (!storableId(eventSubscriptionId(event.type, object))) ctx.addIssue({ code: 'custom', message: 'the subscription id is not a Stripe id', path: ['data', 'object'] });
    if (!storableId(eventPaymentIntentId(event.type, object))) ctx.addIssue({ code: 'custom', message: 'the payment intent id is not a Stripe id', path: ['data', 'object'] });
  });

/**
 * Checks a verified (signed) event's envelope. A malformed one is refused with 400
 * STRIPE_EVENT_INVALID and nothing is stored: Stripe's delivery ends there instead of
 * retrying a 500 for days. It is logged here, once, by the fields that failed (never the
 * payload, which holds customer data).
 */
export function parseStripeEnvelope(event: unknown, logger: Logger): StripeEventInput {
  const result = stripeEventEnvelope.safeParse(event);
  if (result.success) return result.data as StripeEventInput;
  const errors = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(event)', message: issue.message }));
  const id = (event as { id?: unknown } | null)?.id;
  const eventId = typeof id === 'string' && id.length <= 255 && isStorableText(id) ? id : undefined;
  logger.warn({ stripeEvent: eventId, errors }, 'a signed Stripe event was refused: its envelope is malformed');
  throw new Problem('STRIPE_EVENT_INVALID', `the event is malformed: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { extra: { errors } });
}
