import { listStripeEventsQuery } from '../../stripe/stripe-events.ts';
import { operation } from '../operation.ts';
import { ReasonRequest } from '../schemas/common.ts';
import { StripeEventPage, StripeEventPayload, StripeEventResource, StripeWebhookAnswer } from '../schemas/stripe.ts';

const tag = 'stripe';

/** Stripe's webhook and the stored events (api/stripe/stripe.routes.ts). */
export const stripePaths = {
  '/v1/webhooks/stripe': {
    post: operation({
      tag,
      operationId: 'receiveStripeWebhook',
      summary: 'Stripe webhook endpoint',
      description:
        'Called by Stripe, authenticated by the `Stripe-Signature` header (HMAC of the raw body with the endpoint secret). The event is recorded by its id before anything else, ' +
        'then applied: a paid checkout provisions a license (one per subscription for `mode: subscription`, one per Checkout Session for a one-time `mode: payment` purchase, whose term is the plan\'s; ' +
          'an unpaid asynchronous payment provisions on `checkout.session.async_payment_succeeded`; a `setup` checkout is ignored), the other events reach the license\'s workflow ' +
          '(a full refund or a dispute of a one-time purchase\'s payment revokes its license). Redeliveries and concurrent copies of an event have one effect. ' +
        'An event that cannot be applied (unknown price, no customer email, a request the Stripe API refused: STRIPE_API_REFUSED) is answered 200 and kept FAILED for a replay; ' +
        'a transient fault (the Stripe API, Temporal or Postgres did not answer) answers 503 STRIPE_EVENT_NOT_APPLIED, whose detail names which, so Stripe delivers it again. ' +
        'A signed event whose envelope is malformed (no or a wrong `id`, a `type`, `created` or `data.object` of the wrong type or range, NUL characters) answers 400 STRIPE_EVENT_INVALID naming the fields, and nothing is stored. ' +
        'A copy that arrives while another delivery is applying the event waits for its outcome (up to 5 s); if that delivery met a transient fault, the copy answers 503 STRIPE_EVENT_NOT_APPLIED as it did; if it is still not done (its process may have died), the copy answers 409 STRIPE_EVENT_BUSY with Retry-After, and a later delivery takes the event over once the claim has expired (2 minutes).',
      scope: null,
      body: { schema: StripeEventPayload, required: true },
      responses: { 200: { description: 'Recorded (and applied, deferred, ignored or failed: see `event.status`).', schema: StripeWebhookAnswer } },
      problems: ['STRIPE_SIGNATURE_INVALID', 'STRIPE_EVENT_INVALID', 'STRIPE_NOT_CONFIGURED', 'STRIPE_EVENT_BUSY', 'STRIPE_EVENT_NOT_APPLIED'],
    }),
  },
  '/v1/stripe/events': {
    get: operation({
      tag,
      operationId: 'listStripeEvents',
      summary: 'List stored Stripe events with their processing status and error',
      scope: 'licenses:read',
      query: listStripeEventsQuery,
      responses: { 200: { description: 'One page, newest first.', schema: StripeEventPage } },
    }),
  },
  '/v1/stripe/events/{id}/replay': {
    post: operation({
      tag,
      operationId: 'replayStripeEvent',
      summary: 'Apply a stored Stripe event again',
      description: 'E.g. after adding an unknown price to a plan. Idempotent: a subscription or a one-time Checkout Session is provisioned once, and a license applies each event once. A transient fault answers 503 STRIPE_EVENT_NOT_APPLIED (the event stays FAILED; replay it again shortly). Audited (`stripe_event.replayed`, with the reason and the status before and after), whatever became of it.',
      scope: 'licenses:write',
      pathParams: { id: { description: 'The Stripe event id (`evt_…`).', schema: { type: 'string', pattern: '^evt_[A-Za-z0-9_]+$' } } },
      body: { schema: ReasonRequest, required: false },
      responses: { 200: { description: 'The event after the replay.', schema: StripeEventResource } },
      problems: ['STRIPE_EVENT_NOT_FOUND', 'STRIPE_EVENT_BUSY', 'STRIPE_NOT_CONFIGURED', 'STRIPE_EVENT_NOT_APPLIED'],
    }),
  },
};
