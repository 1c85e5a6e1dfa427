import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type Stripe from 'stripe';
import { recordStripeEvent, type StripeEventInput } from '../../activities/stripe/stripe-event-log.ts';
import { runStripeEvent } from '../../activities/stripe/run-stripe-event.ts';
import type { StripeProcessingDeps } from '../../activities/stripe/stripe-processing-deps.ts';
import { Problem } from '../http/problem.ts';
import { storedEventResource } from './stripe-event.resource.ts';

/** Stripe's events are small; this bounds what an unauthenticated caller can make us read. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** The raw bytes of the body: the signature is over them, not over re-serialised JSON. */
export async function readRawBody(ctx: Context): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: WEBHOOK_BODY_LIMIT, length: ctx.request.length });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new Problem('PAYLOAD_TOO_LARGE', `the body is larger than ${WEBHOOK_BODY_LIMIT} bytes`);
    throw new Problem('INVALID_REQUEST', 'the body could not be read');
  }
}

/** Checks the `Stripe-Signature` header against the raw body with the endpoint's secret. */
export function verifyStripeEvent(stripe: Stripe, webhookSecret: string, raw: Buffer, signature: string | undefined): StripeEventInput {
  if (!signature) throw new Problem('STRIPE_SIGNATURE_INVALID', 'the Stripe-Signature header is missing');
  try {
    return stripe.webhooks.constructEvent(raw, signature, webhookSecret) as unknown as StripeEventInput;
  } catch (error) {
    throw new Problem('STRIPE_SIGNATURE_INVALID', `the Stripe-Signature does not match this body: ${(error as Error).message}`);
  }
}

/**
 * A verified event: recorded by its id first, then acted on by whichever delivery claims it.
 * A duplicate (redelivery, retry, concurrent copy) finds the row and does nothing more, unless
 * the event failed before: then it is tried again. A transient fault answers 503 so Stripe
 * delivers again; the event stays recorded either way.
 */
export async function receiveStripeEvent(deps: StripeProcessingDeps, event: StripeEventInput) {
  const recorded = await recordStripeEvent(deps.em, event);
  const run = await runStripeEvent(deps, event.id, ['RECEIVED', 'FAILED']);
  if (run.fault) {
    throw new Problem('LIFECYCLE_UNAVAILABLE', `event ${event.id} is recorded but could not be applied now; Stripe will deliver it again (the server log has the cause)`);
  }
  return { received: true, duplicate: !recorded, event: storedEventResource(run.event!) };
}
