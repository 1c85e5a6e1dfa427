import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Stripe from 'stripe';
import type { ApiDependencies } from '../../api/dependencies.ts';
import { createStripeServices, type StripeServices } from '../../lib/stripe-client.ts';
import { resolveStripeMock, startStripeMock, type RunningStripeMock } from '../../lib/stripe-mock.ts';
import { createPlan } from './api-fixtures.ts';
import { startApiStack, type ApiStack } from './api-stack.ts';
import { startLocalProviders, type LocalProviders } from './outreach-stack.ts';
import { suffix } from './stripe-events.ts';
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
  /** More of the app's wiring (e.g. a logger to read). */
  app?: Partial<ApiDependencies>;
}

/** The API stack with Stripe configured against its own stripe-mock (behind a front, if asked). */
export async function startStripeStack(options: StripeStackOptions = {}): Promise<StripeStack> {
  const mock = await startTestStripeMock();
  const front = options.front ? await startStripeFront(mock.url) : undefined;
  const providers = options.providers ? await startLocalProviders() : undefined;
  const stripe = testStripeServices(front ?? mock);
  const stack = await startApiStack({ stripe, delivery: providers?.delivery, app: options.app });
  return { stack, mock, stripe, front, providers, close: async () => (await stack.close(), await front?.close(), await providers?.close(), await mock.stop()) };
}

export { checkoutObject, chargeObject, future, invoiceObject, oneTimeCheckoutObject, stripeEvent, subscriptionObject, suffix } from './stripe-events.ts';
/** Posts an event to the real webhook endpoint, signed as Stripe signs it. */
export async function postEvent(stack: ApiStack, stripe: Stripe, event: object, options: { secret?: string; signature?: string | null } = {}) {
  const payload = JSON.stringify(event);
  const signature = options.signature !== undefined ? options.signature : stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
  return stack.request('POST', '/v1/webhooks/stripe', { body: payload, token: null, headers: signature === null ? {} : { 'stripe-signature': signature } });
}

/**
 * The answers to simultaneous copies of one event: exactly one copy applied it. Each other copy
 * waits for that outcome (200, duplicate) but only so long: should applying take longer (a
 * loaded machine), it answers 409 STRIPE_EVENT_BUSY with Retry-After, and Stripe delivers it
 * again. Which of the two a copy gets depends on timing, so either is right; nothing else is.
 */
export function expectAppliedOnce(answers: Array<{ status: number; headers: Headers; body: any }>) {
  expect(answers.filter((answer) => answer.status === 200 && answer.body.duplicate === false)).toHaveLength(1);
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expect({ status: answer.status, code: answer.body.code, retryAfter: answer.headers.get('retry-after') }).toEqual({ status: 409, code: 'STRIPE_EVENT_BUSY', retryAfter: expect.stringMatching(/^\d+$/) });
  }
}

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
