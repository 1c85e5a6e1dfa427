import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type Stripe from 'stripe';
import { loadStripeEvent, recordStripeEvent, type StoredStripeEvent, type StripeEventInput } from '../../domain/stripe/stripe-event-log.ts';
import { DELIVERY_FAILED, runStripeEvent } from '../../domain/stripe/run-stripe-event.ts';
import type { StripeProcessingDeps } from '../../domain/stripe/stripe-processing-deps.ts';
import { payloadTooLarge } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { storedEventResource } from './stripe-event.resource.ts';
import { stripeEventNotApplied } from './stripe-event-fault.ts';

/** Stripe's events are small; this bounds what an unauthenticated caller can make us read. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** The raw bytes of the body: the signature is over them, not over re-serialised JSON. */
export async function readRawBody(ctx: Context): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: WEBHOOK_BODY_LIMIT, length: ctx.request.length });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw payloadTooLarge(WEBHOOK_BODY_LIMIT);
    throw new Problem('INVALID_REQUEST', 'the body could not be read');
  }
}

/**
 * Checks the `Stripe-Signature` header against the raw body with the endpoint's secret. The
 * result is whatever JSON was signed: parseStripeEnvelope() checks its shape.
 */
export function verifyStripeEvent(stripe: Stripe, webhookSecret: string, raw: Buffer, signature: string | undefined): unknown {
  if (!signature) throw new Problem('STRIPE_SIGNATURE_INVALID', 'the Stripe-Signature header is missing');
  try {
    return stripe.webhooks.constructEvent(raw, signature, webhookSecret) as unknown;
  } catch (error) {
    throw new Problem('STRIPE_SIGNATURE_INVALID', `the Stripe-Signature does not match this body: ${(error as Error).message}`);
  }
}

/**
 * A verified event: recorded by its id first, then acted on by whichever delivery claims it.
 * A duplicate (redelivery, retry, concurrent copy) finds the row and does nothing more, unless
 * the event failed before: then it is tried again; while another delivery is applying it, the
 * duplicate answers with that delivery's outcome. A transient fault answers 503 so Stripe
 * delivers again; the event stays recorded either way.
 */
export async function receiveStripeEvent(deps: StripeProcessingDeps, event: StripeEventInput) {
  const recorded = await recordStripeEvent(deps.em, event);
  const run = await runStripeEvent(deps, event.id, ['RECEIVED', 'FAILED']);
  const retry = 'Stripe will deliver it again';
  if (run.fault) throw stripeEventNotApplied(event.id, run.fault, retry);
  let stored = run.event!;
  if (!run.claimed && stored.status === 'PROCESSING') {
    // Another delivery holds it: answer with its outcome, never a 200 for work that may not finish.
    stored = await waitWhileProcessing(deps, event.id, stored);
    if (stored.status === 'PROCESSING') {
      throw new Problem('STRIPE_EVENT_BUSY', `event ${event.id} is being applied by another delivery; Stripe will deliver it again`, { headers: { 'Retry-After': String(IN_FLIGHT_RETRY_AFTER_S) } });
    }
    // A fault asks Stripe to deliver again, as it did for the delivery that met it; a rejection
    // (unknown price, no email) is answered 200 and kept FAILED for a replay, as it was there.
    if (stored.status === 'FAILED' && stored.error_code === DELIVERY_FAILED) throw stripeEventNotApplied(event.id, undefined, retry);
  }
  return { received: true, duplicate: !recorded, event: storedEventResource(stored) };
}

/** How long a duplicate waits for the delivery applying its event, and when Stripe should try again after. */
const IN_FLIGHT_WAIT_MS = 5_000;
const IN_FLIGHT_RETRY_AFTER_S = 60;

/**
 * Waits (briefly) for the delivery that claimed the event to finish. A concurrent copy then
 * answers 200 with the outcome; if the holder crashed, its claim outlives the wait, the copy
 * is refused (409), and Stripe's next delivery, once the claim has expired, applies the event.
 */
async function waitWhileProcessing(deps: StripeProcessingDeps, id: string, stored: StoredStripeEvent): Promise<StoredStripeEvent> {
  const until = Date.now() + IN_FLIGHT_WAIT_MS;
  let current = stored;
  while (current.status === 'PROCESSING' && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await loadStripeEvent(deps.em, id)) ?? current;
  }
  return current;
}
