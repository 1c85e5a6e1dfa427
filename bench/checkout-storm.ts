/**
 * Purchase to key email: a storm of Stripe checkouts posted to the real webhook (signed as
 * Stripe signs them, `BENCH_STORM_CONCURRENCY` at a time), and for each the time from its
 * `checkout.session.completed` being sent to its key email being handed to Customer.io (the
 * transactional send request the provider accepted). Each subscription's
 * `customer.subscription.created` is posted first, as Stripe sends it, so provisioning reads
 * nothing from the Stripe API.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import Stripe from 'stripe';
import { messageWorkflowId } from '../workflows/message-delivery.workflow.ts';
import { checkoutObject, future, stripeEvent, subscriptionObject } from '../test/support/stripe-events.ts';
import { atRate, cpuUsed, inParallel, percentile, type FlowsStack } from './flows-stack.ts';

export interface StormResult {
  checkouts: number;
  /** From the first checkout sent to the last one answered. */
  ingestSeconds: number;
  webhookP50Ms: number;
  webhookP99Ms: number;
  emailed: number;
  emailP50Ms: number;
  emailP99Ms: number;
  emailMaxMs: number;
  /** Key emails not yet handed over 30 s after the last checkout was sent (the yardstick). */
  unsentAfter30s: number;
  /** Key emails Customer.io accepted more than once for one buyer. */
  duplicates: number;
  /** Requests Customer.io answered 429 (its limit) during the storm. */
  refused: number;
  /** Checkout events the webhook asked to be delivered again (503, 409), redelivered as Stripe would. */
  redelivered: number;
  /** From the first checkout to the last key email, and the CPU each process used meanwhile. */
  wallSeconds: number;
  cpu: string;
  /** Where a sample of purchases spent their time, p50 / p99 of each step (ms). */
  phases: StormPhases;
}

/**
 * The steps from purchase to key email, from a sample of the storm's delivery workflows:
 * checkout sent → its delivery workflow started (the webhook's own work) → the delivery's first
 * workflow task picked up by the worker (the server's and the task queue's backlog) → key email
 * handed to Customer.io.
 */
export type StormPhases = Record<'toDeliveryStart' | 'toFirstTask' | 'toHandedOver', { p50: number; p99: number }> & { sampled: number };

/** Redeliveries of events the webhook asked Stripe to send again (503, 409), over the run. */
let redeliveries = 0;

/**
 * Posts a signed event as Stripe does: an answer asking for redelivery (503 STRIPE_EVENT_NOT_APPLIED
 * when Temporal or Postgres did not answer in time on a loaded machine, 409 STRIPE_EVENT_BUSY) is
 * delivered again after its Retry-After (Stripe's own backoff is longer), at most 20 times.
 */
async function postSigned(stack: FlowsStack, signer: Stripe, event: object): Promise<{ status: number; body: any }> {
  const payload = JSON.stringify(event);
  for (let attempt = 1; ; attempt += 1) {
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: stack.webhookSecret });
    const response = await fetch(`${stack.apiUrl}/v1/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
    const answer = { status: response.status, body: await response.json().catch(() => null) };
    if ((answer.status !== 503 && answer.status !== 409) || attempt === 20) return answer;
    redeliveries += 1;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Number(response.headers.get('retry-after')) || 1) * 1000));
  }
}

async function admin(stack: FlowsStack, path: string, body: object): Promise<any> {
  const response = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** A product and a plan selling a new Stripe price; answers the price. */
async function planOnSale(stack: FlowsStack, run: string): Promise<string> {
  const price = `price_Bench${run}`;
  const product = await admin(stack, '/v1/products', { code: `storm-${run}`, name: 'Storm product' });
  await admin(stack, '/v1/plans', { product_id: product.id, code: `storm-${run}`, name: 'Storm', tier: 'pro', stripe_price_ids: [price], term_kind: 'DURATION', term_days: 365 });
  return price;
}

/** The first key email Customer.io accepted for this address, if any: when it came. */
const keyEmailAt = (stack: FlowsStack, email: string) => stack.cio.received('send_email').find((r) => r.status === 200 && r.body?.to === email)?.at;

/**
 * One purchase, e.g. in the middle of a burst of reminders: milliseconds from its checkout
 * being sent to its key email being handed to Customer.io.
 */
export async function timeOnePurchase(stack: FlowsStack): Promise<number> {
  const signer = new Stripe('sk_test_bench');
  const run = randomBytes(4).toString('hex');
  const price = await planOnSale(stack, run);
  const subscription = subscriptionObject(`sub_One${run}`, { customer: `cus_One${run}`, price, periodEnd: future(30) });
  const email = `one-buyer-${run}@example.com`;
  await postSigned(stack, signer, stripeEvent('customer.subscription.created', subscription));
  const sentAt = Date.now();
  const answer = await postSigned(stack, signer, stripeEvent('checkout.session.completed', checkoutObject({ subscription: subscription.id, customer: subscription.customer, email })));
  if (answer.status !== 200) throw new Error(`checkout.session.completed answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  for (;;) {
    const at = keyEmailAt(stack, email);
    if (at) return at - sentAt;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * How the checkouts arrive: `concurrency` at a time, each sent when one is answered (as fast as
 * the webhook answers: the machine's limit), or, with `ratePerSecond`, at that steady rate
 * whatever the answers (a sale at a given pace).
 */
export interface StormOptions {
  checkouts: number;
  concurrency: number;
  ratePerSecond?: number;
  log: (line: string) => void;
}

export async function checkoutStorm(stack: FlowsStack, options: StormOptions): Promise<StormResult> {
  const { log } = options;
  const signer = new Stripe('sk_test_bench');
  const run = randomBytes(4).toString('hex');
  const price = await planOnSale(stack, run);

  const sales = Array.from({ length: options.checkouts }, (_, i) => {
    const subscription = subscriptionObject(`sub_Storm${run}N${i}`, { customer: `cus_Storm${run}N${i}`, price, periodEnd: future(30) });
    return { subscription, email: `buyer-${i}-${run}@example.com` };
  });
  let started = performance.now();
  await inParallel(sales, options.concurrency, async ({ subscription }) => {
    const answer = await postSigned(stack, signer, stripeEvent('customer.subscription.created', subscription));
    if (answer.status !== 200) throw new Error(`customer.subscription.created answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  });
  log(`  posted ${sales.length} customer.subscription.created events in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)`);

  const refusedBefore = stack.cio.requests.filter((r) => r.limited).length;
  const redeliveriesBefore = redeliveries;
  const cpuBefore = stack.cpu();
  const sentAt = new Map<string, number>();
  const webhookMs: number[] = [];
  started = Date.now();
  let lastAnswer = started;
  let lastSent = started;
  const rate = options.ratePerSecond;
  const arrive = (work: (sale: (typeof sales)[number]) => Promise<void>) => (rate ? atRate(sales, rate, work) : inParallel(sales, options.concurrency, work));
  await arrive(async ({ subscription, email }) => {
    const event = stripeEvent('checkout.session.completed', checkoutObject({ subscription: subscription.id, customer: subscription.customer, email }));
    const at = Date.now();
    sentAt.set(email, at);
    lastSent = at;
    const answer = await postSigned(stack, signer, event);
    lastAnswer = Date.now();
    webhookMs.push(lastAnswer - at);
    if (answer.status !== 200 || answer.body?.event?.status !== 'PROCESSED') throw new Error(`checkout.session.completed answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  });
  const ingestSeconds = (lastAnswer - started) / 1000;
  log(`  storm: ${sales.length} checkouts answered in ${ingestSeconds.toFixed(1)} s (${(sales.length / ingestSeconds).toFixed(0)}/s)`);

  // The key emails Customer.io accepted, the first for each buyer.
  const accepted = () => stack.cio.received('send_email').filter((r) => r.status === 200 && sentAt.has(r.body?.to));
  const deadline = Date.now() + 900_000;
  while (new Set(accepted().map((r) => r.body.to)).size < sales.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const emailedAt = new Map<string, number>();
  let duplicates = 0;
  for (const request of accepted()) {
    if (emailedAt.has(request.body.to)) duplicates += 1;
    else emailedAt.set(request.body.to, request.at);
  }
  const latencies = [...emailedAt].map(([email, at]) => at - sentAt.get(email)!);
  const cpu = cpuUsed(cpuBefore, stack.cpu());
  const phases = await stormPhases(stack, sales.filter((_, i) => i % 10 === 0).map((sale) => sale.email), sentAt, emailedAt);
  return {
    wallSeconds: (Math.max(...emailedAt.values()) - started) / 1000,
    cpu,
    phases,
    checkouts: sales.length,
    ingestSeconds,
    webhookP50Ms: percentile(webhookMs, 50),
    webhookP99Ms: percentile(webhookMs, 99),
    emailed: emailedAt.size,
    emailP50Ms: percentile(latencies, 50),
    emailP99Ms: percentile(latencies, 99),
    emailMaxMs: Math.max(...latencies),
    unsentAfter30s: sales.length - [...emailedAt.values()].filter((at) => at <= lastSent + 30_000).length,
    duplicates,
    refused: stack.cio.requests.filter((r) => r.limited).length - refusedBefore,
    redelivered: redeliveries - redeliveriesBefore,
  };
}

/** Reads the histories of the sampled buyers' key deliveries. */
async function stormPhases(stack: FlowsStack, emails: string[], sentAt: Map<string, number>, emailedAt: Map<string, number>): Promise<StormPhases> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const steps = { toDeliveryStart: [] as number[], toFirstTask: [] as number[], toHandedOver: [] as number[] };
  try {
    const { rows } = await client.query<{ id: string; recipient: string }>(`select id, recipient from outbox_message where event = 'license_issued' and recipient = any($1)`, [emails]);
    for (const row of rows) {
      const history = await stack.temporal.workflow.getHandle(messageWorkflowId(row.id)).fetchHistory();
      const events = history.events ?? [];
      const time = (event: (typeof events)[number] | undefined) => (event?.eventTime?.seconds ? Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6) : null);
      const startedAt = time(events[0]);
      const firstTaskAt = time(events.find((event) => event.workflowTaskStartedEventAttributes));
      const sent = sentAt.get(row.recipient);
      const emailed = emailedAt.get(row.recipient);
      if (startedAt === null || firstTaskAt === null || sent === undefined || emailed === undefined) continue;
      steps.toDeliveryStart.push(startedAt - sent);
      steps.toFirstTask.push(firstTaskAt - startedAt);
      steps.toHandedOver.push(emailed - firstTaskAt);
    }
  } finally {
    await client.end();
  }
  const summary = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return { sampled: steps.toFirstTask.length, toDeliveryStart: summary(steps.toDeliveryStart), toFirstTask: summary(steps.toFirstTask), toHandedOver: summary(steps.toHandedOver) };
}
