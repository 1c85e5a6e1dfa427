import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Stripe from 'stripe';
import { createStripeServices, type StripeServices } from '../../lib/stripe-client.ts';
import { resolveStripeMock, startStripeMock, type RunningStripeMock } from '../../lib/stripe-mock.ts';
import { createPlan } from './api-fixtures.ts';
import { startApiStack, type ApiStack } from './api-stack.ts';
import { startLocalProviders, type LocalProviders } from './outreach-stack.ts';
import { eventually } from './poll.ts';
import { startStripeFront, type StripeFront } from './stripe-front.ts';

export const WEBHOOK_SECRET = `whsec_test_${randomBytes(12).toString('hex')}`;

/** stripe-mock from the tools folder (`npm run tools` builds it), on a free port. */
export async function startTestStripeMock(): Promise<RunningStripeMock> {
  const binary = await resolveStripeMock({ toolsDir: path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? '.tools'), envPath: process.env.STRIPE_MOCK_PATH, install: false });
  if (!binary.path) throw new Error('stripe-mock is not available: run `npm run tools` (needs Go) or set STRIPE_MOCK_PATH');
  return startStripeMock(binary.path);
}

export function testStripeServices(api: { url: string }): StripeServices {
  return createStripeServices({ secretKey: 'sk_test_keywarden', webhookSecret: WEBHOOK_SECRET, apiBase: api.url, reconcileCron: '17 3 * * *' })!;
}

export interface StripeStack {
  stack: ApiStack;
  mock: RunningStripeMock;
  stripe: StripeServices;
  /** With `front: true`: the outage switch between Keywarden and stripe-mock. */
  front?: StripeFront;
  /** With `providers: true`: the local Customer.io and HubSpot the worker delivers messages to. */
  providers?: LocalProviders;
  close(): Promise<void>;
}

export interface StripeStackOptions {
  front?: boolean;
  /** Deliver messages (the key emails) to local provider servers instead of recording them NOT_SENT. */
  providers?: boolean;
}

/** The API stack with Stripe configured against its own stripe-mock (behind a front, if asked). */
export async function startStripeStack(options: StripeStackOptions = {}): Promise<StripeStack> {
  const mock = await startTestStripeMock();
  const front = options.front ? await startStripeFront(mock.url) : undefined;
  const providers = options.providers ? await startLocalProviders() : undefined;
  const stripe = testStripeServices(front ?? mock);
  const stack = await startApiStack({ stripe, delivery: providers?.delivery });
  return { stack, mock, stripe, front, providers, close: async () => (await stack.close(), await front?.close(), await providers?.close(), await mock.stop()) };
}

/** `days` from now, to the second (Stripe's timestamps are whole seconds). */
export const future = (days: number) => new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000).toISOString();

let clock = Math.floor(Date.now() / 1000) - 86_400;

/** A Stripe event envelope; `created` ascends with each call unless given. */
export function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number; previous?: Record<string, unknown> } = {}) {
  return {
    id: options.id ?? `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: options.created ?? (clock += 10),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object, ...(options.previous ? { previous_attributes: options.previous } : {}) },
  };
}

/** Posts an event to the real webhook endpoint, signed as Stripe signs it. */
export async function postEvent(stack: ApiStack, stripe: Stripe, event: object, options: { secret?: string; signature?: string | null } = {}) {
  const payload = JSON.stringify(event);
  const signature = options.signature !== undefined ? options.signature : stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
  return stack.request('POST', '/v1/webhooks/stripe', { body: payload, token: null, headers: signature === null ? {} : { 'stripe-signature': signature } });
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A subscription object as Stripe sends it in events (current API: the period is on the items). */
export function subscriptionObject(id: string, options: { customer: string; price: string; quantity?: number; unitAmount?: number; periodEnd: string; status?: string; trialEnd?: string | null }) {
  return {
    id,
    object: 'subscription',
    customer: options.customer,
    status: options.status ?? 'active',
    cancel_at_period_end: false,
    trial_end: options.trialEnd ? unix(options.trialEnd) : null,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${id}`,
          object: 'subscription_item',
          quantity: options.quantity ?? 1,
          current_period_end: unix(options.periodEnd),
          price: { id: options.price, object: 'price', unit_amount: options.unitAmount ?? 1000, recurring: { interval: 'month' } },
        },
      ],
    },
  };
}

export function checkoutObject(options: { subscription: string; customer: string; email?: string | null; domain?: string }) {
  return {
    id: `cs_test_${randomBytes(8).toString('hex')}`,
    object: 'checkout.session',
    mode: 'subscription',
    payment_status: 'paid',
    status: 'complete',
    customer: options.customer,
    customer_details: { email: options.email === undefined ? 'buyer@example.com' : options.email, name: 'Ada Buyer' },
    subscription: options.subscription,
    metadata: options.domain ? { domain: options.domain } : {},
  };
}

/** A one-time purchase's Checkout Session (`mode: payment`): paid by a payment intent, no subscription. */
export function oneTimeCheckoutObject(options: { customer: string; email?: string | null; paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required'; domain?: string }) {
  return {
    id: `cs_test_${randomBytes(8).toString('hex')}`,
    object: 'checkout.session',
    mode: 'payment',
    payment_status: options.paymentStatus ?? 'paid',
    status: 'complete',
    customer: options.customer,
    customer_details: { email: options.email === undefined ? 'buyer@example.com' : options.email, name: 'Ada Buyer' },
    subscription: null,
    payment_intent: `pi_${randomBytes(8).toString('hex')}`,
    metadata: options.domain ? { domain: options.domain } : {},
  };
}

export function invoiceObject(options: { subscription: string; customer: string; periodEnd: string; price: string; id?: string; billingReason?: string }) {
  return {
    id: options.id ?? `in_${randomBytes(8).toString('hex')}`,
    object: 'invoice',
    customer: options.customer,
    billing_reason: options.billingReason ?? 'subscription_cycle',
    parent: { type: 'subscription_details', subscription_details: { subscription: options.subscription, metadata: {} } },
    lines: {
      object: 'list',
      data: [
        {
          id: `il_${randomBytes(6).toString('hex')}`,
          object: 'line_item',
          period: { start: unix(options.periodEnd) - 30 * 86_400, end: unix(options.periodEnd) },
          parent: { type: 'subscription_item_details', subscription_item_details: { subscription: options.subscription } },
          pricing: { type: 'price_details', price_details: { price: options.price } },
        },
      ],
    },
  };
}

export function chargeObject(options: { customer: string; invoice?: string; paymentIntent?: string; refunded?: boolean }) {
  return {
    id: `ch_${randomBytes(8).toString('hex')}`,
    object: 'charge',
    customer: options.customer,
    invoice: options.invoice ?? null,
    payment_intent: options.paymentIntent ?? null,
    amount: 1000,
    amount_refunded: options.refunded === false ? 100 : 1000,
    refunded: options.refunded ?? true,
  };
}

export const suffix = () => randomBytes(5).toString('hex');

/**
 * A Stripe stack for one test file (started before its tests, closed after), and the helpers
 * the webhook tests share. `stack`, `stripe` and `front` are read once the stack runs.
 */
export function useStripeStack(options: StripeStackOptions = {}) {
  let running: StripeStack | undefined;
  beforeAll(async () => {
    running = await startStripeStack(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const live = () => {
    if (!running) throw new Error('the Stripe stack is not running (use it inside a test)');
    return running;
  };
  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) => live().stack.db.orm.em.fork().execute<T[]>(query, params);
  const license = async (id: string) => (await live().stack.request('GET', `/v1/licenses/${id}`)).body;

  return {
    get stack() {
      return live().stack;
    },
    get stripe() {
      return live().stripe;
    },
    get front() {
      return live().front!;
    },
    /** With `providers: true`: the local Customer.io the key emails go to. */
    get cio() {
      return live().providers!.cio;
    },
    post: (event: object) => postEvent(live().stack, live().stripe.client, event),
    sql,
    license,
    licenseOf: async (subscription: string) => (await sql<{ id: string }>('select id from license where stripe_subscription_id = ?', [subscription]))[0]?.id,
    eventRow: async (id: string) => (await sql('select * from stripe_event where id = ?', [id]))[0],
    until: <T>(what: string, check: () => Promise<T | undefined>) => eventually(check, { what, timeoutMs: 20_000 }),
    /** Polls until the license has `status`. */
    untilStatus: (id: string, status: string) => eventually(async () => ((await license(id)).status === status ? true : undefined), { what: `license ${id} ${status}`, timeoutMs: 20_000 }),

    /** A product with two plans (basic, pro) each selling its own price. */
    async catalog(policy: Record<string, unknown> = {}) {
      const stack = live().stack;
      const basicPrice = `price_Basic${suffix()}`;
      const proPrice = `price_Pro${suffix()}`;
      const basic = await createPlan(stack, { stripe_price_ids: [basicPrice], payment_grace_days: 3, ...policy });
      const pro = await stack.request('POST', '/v1/plans', { body: { product_id: basic.product_id, code: `pro-${suffix()}`, name: 'Pro', tier: 'pro', stripe_price_ids: [proPrice], ...policy } });
      return { basic, pro: pro.body as { id: string; code: string }, basicPrice, proPrice };
    },
  };
}
