import { z } from 'zod';
import { stripeEventEnvelope } from '../../stripe/stripe-event-envelope.ts';
import { STRIPE_EVENT_STATUSES } from '../../../schema/stripe/stripe-event.entity.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { page, timestamp } from './common.ts';

export const StripeEventStatus = responseSchema(
  'StripeEventStatus',
  z.enum(STRIPE_EVENT_STATUSES),
  'What became of a Stripe event: RECEIVED (recorded), PROCESSING, PROCESSED (its fact reached the license, or it provisioned one), ' +
    'IGNORED (nothing to do; `detail` says why), DEFERRED (its subscription has no license yet: applied when the checkout provisions it), ' +
    'FAILED (could not be applied; `error_code` and `error` say why; replay it once fixed).',
);

export const StripeEventResource = responseSchema(
  'StripeEventRecord',
  z.object({
    id: z.string().describe('Stripe\'s event id (`evt_…`).'),
    type: z.string(),
    status: StripeEventStatus,
    stripe_created_at: timestamp,
    received_at: timestamp,
    processed_at: timestamp.nullable(),
    attempts: z.number().int(),
    subscription_id: z.string().nullable(),
    license_id: z.string().nullable(),
    detail: z.string().nullable(),
    error_code: z.string().nullable().describe('UNKNOWN_PRICE, AMBIGUOUS_PRICE, NO_PRICE, MISSING_CUSTOMER_EMAIL, INVALID_TERM, PAYMENT_REVERSED, LICENSE_NOT_IDENTIFIED, NO_PERIOD_END, STRIPE_API_REFUSED, or DELIVERY_FAILED (transient).'),
    error: z.string().nullable(),
  }),
  'A Stripe event as Keywarden recorded it, with its processing status.',
);

export const StripeEventPage = page('StripeEventPage', StripeEventResource);

export const StripeWebhookAnswer = responseSchema(
  'StripeWebhookAnswer',
  z.object({ received: z.literal(true), duplicate: z.boolean().describe('The event id was recorded before (a redelivery or a concurrent copy).'), event: StripeEventResource }),
  'The event is recorded; what became of it.',
);

export const StripeEventPayload = requestSchema(
  'StripeEventPayload',
  stripeEventEnvelope,
  'A Stripe event, exactly as Stripe sends it, signed in the `Stripe-Signature` header.',
);
