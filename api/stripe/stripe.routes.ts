import Router from '@koa/router';
import type { StripeProcessingDeps } from '../../domain/stripe/stripe-processing-deps.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { readRawBody, receiveStripeEvent, verifyStripeEvent } from './receive-stripe-webhook.ts';
import { parseStripeEnvelope } from './stripe-event-envelope.ts';
import { listStripeEvents, listStripeEventsQuery, replayStripeEvent, stripeEventIdParam } from './stripe-events.ts';

/** Stripe's webhook, and the admin view of the events it recorded. */
export function stripeRoutes(deps: ApiDependencies): Router {
  const router = new Router();
  const processing = (): StripeProcessingDeps => {
    if (!deps.stripe) throw new Problem('STRIPE_NOT_CONFIGURED', 'set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to receive Stripe events');
    return { em: deps.em, lifecycle: deps.lifecycle, deliveries: deps.lifecycle, stripe: deps.stripe.client, secret: deps.secret, logger: deps.logger };
  };

  router.post('/v1/webhooks/stripe', async (ctx) => {
    const processingDeps = processing();
    const raw = await readRawBody(ctx);
    const signed = verifyStripeEvent(processingDeps.stripe, deps.stripe!.webhookSecret, raw, ctx.get('stripe-signature') || undefined);
    const event = parseStripeEnvelope(signed, deps.logger);
    ctx.body = await receiveStripeEvent(processingDeps, event);
  });

  router.get('/v1/stripe/events', async (ctx) => {
    ctx.body = await listStripeEvents(deps.em, parseWith(listStripeEventsQuery, ctx.query));
  });

  router.post('/v1/stripe/events/:id/replay', async (ctx) => {
    const id = parseWith(stripeEventIdParam, ctx.params.id);
    ctx.body = await replayStripeEvent(processing(), id);
  });

  return router;
}
