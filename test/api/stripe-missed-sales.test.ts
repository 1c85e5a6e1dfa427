import { randomBytes } from 'node:crypto';
import type { StripeReconciliationReport } from '../../workflows/stripe-reconciliation.workflow.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { checkoutObject, future, oneTimeCheckoutObject, stripeEvent, subscriptionObject, suffix, useStripeStack } from '../support/stripe.ts';

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/**
 * The nightly Stripe pass does what lost webhooks should have done: it issues the licenses of
 * checkouts whose `checkout.session.completed` never arrived (and emails their keys), and
 * revokes one-time licenses whose refund or dispute never arrived. Stripe is stripe-mock behind
 * the test front, which answers what stripe-mock cannot (its lists ignore their filters): the
 * front filters by status and creation time as Stripe does. Key emails and lifecycle events go
 * to a local Customer.io that checks each request as the real one does.
 */
describe('the nightly Stripe reconciliation issues missed sales and revokes missed refunds and disputes', () => {
  const t = useStripeStack({ front: true, providers: true });
  const { post, sql, license, until } = t;

  const sessions: Array<Record<string, any>> = [];
  const subscriptions: Array<Record<string, any>> = [];
  const refunds: Array<Record<string, any>> = [];
  const disputes: Array<Record<string, any>> = [];
  const paymentIntents = new Map<string, { refunded: boolean; disputed: boolean }>();

  /** A list as the Stripe API pages it, keeping what matches `status` and `created[gte]` when asked. */
  const list = (data: Array<Record<string, any>>, query: URLSearchParams, url: string) => {
    const since = Number(query.get('created[gte]') ?? 0);
    const status = query.get('status');
    return { body: { object: 'list', has_more: false, url, data: data.filter((o) => o.created >= since && (!status || status === 'all' || o.status === status)) } };
  };

  beforeAll(() => {
    const { answers } = t.front;
    answers.set('GET /v1/checkout/sessions', (query) => (query.has('payment_intent') ? undefined : list(sessions, query, '/v1/checkout/sessions')));
    answers.set('GET /v1/subscriptions', (query) => list(subscriptions, query, '/v1/subscriptions'));
    answers.set('GET /v1/refunds', (query) => list(refunds, query, '/v1/refunds'));
    answers.set('GET /v1/disputes', (query) => list(disputes, query, '/v1/disputes'));
  });
  afterAll(() => {
    t.front.answers.clear();
  });

  /** What the Stripe API answers about a subscription, a payment intent and a session's line items. */
  function stripeKnows(options: { subscription?: Record<string, any>; paymentIntent?: string; reversed?: { refunded?: boolean; disputed?: boolean }; session?: string; price?: string }) {
    const { answers } = t.front;
    if (options.subscription) {
      subscriptions.push({ ...options.subscription, created: now() - HOUR });
      answers.set(`GET /v1/subscriptions/${options.subscription.id}`, () => ({ body: options.subscription }));
    }
    if (options.paymentIntent) {
      const pi = options.paymentIntent;
      paymentIntents.set(pi, { refunded: options.reversed?.refunded ?? false, disputed: options.reversed?.disputed ?? false });
      answers.set(`GET /v1/payment_intents/${pi}`, () => ({
        body: { id: pi, object: 'payment_intent', status: 'succeeded', latest_charge: { id: `ch_${pi}`, object: 'charge', payment_intent: pi, ...paymentIntents.get(pi) } },
      }));
    }
    if (options.session && options.price) {
      answers.set(`GET /v1/checkout/sessions/${options.session}/line_items`, () => ({
        body: { object: 'list', has_more: false, url: `/v1/checkout/sessions/${options.session}/line_items`, data: [{ id: `li_${suffix()}`, object: 'item', quantity: 1, price: { id: options.price, object: 'price', unit_amount: 9900, currency: 'usd' } }] },
      }));
    }
  }

  const reconcile = () =>
    t.stack.temporal.workflow.execute('stripeReconciliationWorkflow', {
      taskQueue: t.stack.taskQueue,
      workflowId: `stripe-reconciliation-test-${randomBytes(4).toString('hex')}`,
      args: [{ lookbackDays: 7 }],
    }) as Promise<StripeReconciliationReport>;
  const licenseOfSession = async (session: string) => (await sql<{ id: string }>('select id from license where stripe_checkout_session_id = ?', [session]))[0]?.id;
  const keyEmailsTo = (email: string) => t.cio.emails.filter((sent) => sent.to === email);
  const keyEmailTo = (email: string) => until(`the key email to ${email}`, async () => keyEmailsTo(email)[0]);
  async function expectKeyOpens(key: string, licenseId: string, domain?: string) {
    expect((await t.stack.request('POST', '/v1/validate', { body: { key, domain }, token: null })).body).toMatchObject({ valid: true, code: 'VALID', license: { id: licenseId } });
  }

  it('issues the license of each paid checkout of the window without one (subscription and one-time) and emails its key; the next pass and the late webhook issue nothing more', async () => {
    const { basic, basicPrice } = await t.catalog();
    const desktopPrice = `price_Desktop${suffix()}`;
    const desktop = await createPlan(t.stack, { stripe_price_ids: [desktopPrice], term_kind: 'PERPETUAL' });
    const customer = () => `cus_${suffix()}`;

    // A subscription bought an hour ago: its checkout webhook was lost, and so were its subscription's events.
    const subscriber = `subscriber-${suffix()}@example.com`;
    const sub = subscriptionObject(`sub_${suffix()}`, { customer: customer(), price: basicPrice, quantity: 2, periodEnd: future(30) });
    const subscribed = { ...checkoutObject({ subscription: sub.id, customer: sub.customer, email: subscriber, domain: 'example.com' }), created: now() - HOUR };
    stripeKnows({ subscription: sub });
    // A one-time purchase, paid: its webhook was lost too.
    const buyer = `desktop-${suffix()}@example.com`;
    const bought = { ...oneTimeCheckoutObject({ customer: customer(), email: buyer }), created: now() - 2 * HOUR };
    stripeKnows({ paymentIntent: bought.payment_intent, session: bought.id, price: desktopPrice });
    // Paid, then refunded in full before anyone noticed: no license.
    const refundedBuyer = `refunded-${suffix()}@example.com`;
    const refunded = { ...oneTimeCheckoutObject({ customer: customer(), email: refundedBuyer }), created: now() - 3 * HOUR };
    stripeKnows({ paymentIntent: refunded.payment_intent, reversed: { refunded: true }, session: refunded.id, price: desktopPrice });
    // A bank debit still being collected: its webhook (async_payment_succeeded) or a later night issues it.
    const pending = { ...oneTimeCheckoutObject({ customer: customer(), email: `pending-${suffix()}@example.com`, paymentStatus: 'unpaid' }), created: now() - HOUR };
    // A sale from ten days ago, before the window (e.g. from before Keywarden was installed).
    const oldSub = subscriptionObject(`sub_${suffix()}`, { customer: customer(), price: basicPrice, periodEnd: future(20) });
    const old = { ...checkoutObject({ subscription: oldSub.id, customer: oldSub.customer, email: `old-${suffix()}@example.com` }), created: now() - 240 * HOUR };
    stripeKnows({ subscription: oldSub });
    // A setup session sells nothing.
    const setup = { ...checkoutObject({ subscription: `sub_${suffix()}`, customer: customer() }), mode: 'setup', subscription: null, created: now() - HOUR };
    sessions.push(subscribed, bought, refunded, pending, old, setup);

    const report = await reconcile();
    const subscriptionLicense = await t.licenseOf(sub.id);
    const oneTimeLicense = await licenseOfSession(bought.id);
    expect(report.issued?.sort()).toEqual([`${oneTimeLicense}: checkout ${bought.id}`, `${subscriptionLicense}: checkout ${subscribed.id}`].sort());
    expect(report.problems).toEqual([expect.stringMatching(new RegExp(`^checkout ${refunded.id}: PAYMENT_REVERSED: its payment was refunded in full`))]);
    expect(report.withoutLicense).toEqual([oldSub.id]);
    expect(await licenseOfSession(refunded.id)).toBeUndefined();
    expect(await licenseOfSession(pending.id)).toBeUndefined();
    expect(await licenseOfSession(old.id)).toBeUndefined();

    // Issued as the webhook would have issued them: plan, seats, domain, customer; the audit trail names the pass.
    expect(await license(subscriptionLicense!)).toMatchObject({ status: 'ACTIVE', plan: basic.code, seat_limit: 2, customer_email: subscriber, expires_at: new Date(sub.items.data[0]!.current_period_end * 1000).toISOString() });
    expect(await license(oneTimeLicense!)).toMatchObject({ status: 'ACTIVE', plan: desktop.code, customer_email: buyer, expires_at: null });
    const created = await sql<{ actor: string; reason: string }>(`select actor, reason from audit_event where license_id = ? and action = 'license.created'`, [subscriptionLicense]);
    expect(created).toEqual([{ actor: `stripe:reconcile:${subscribed.id}`, reason: `Stripe checkout ${subscribed.id}` }]);

    // Each buyer gets the key, and it opens their license (the subscription's on the domain its checkout named).
    await expectKeyOpens((await keyEmailTo(subscriber)).message_data.license_key, subscriptionLicense!, 'example.com');
    await expectKeyOpens((await keyEmailTo(buyer)).message_data.license_key, oneTimeLicense!);
    expect(keyEmailsTo(refundedBuyer)).toEqual([]);

    // Nothing more the next night, nor when the lost webhook finally arrives.
    expect((await reconcile()).issued).toEqual([]);
    const late = await post(stripeEvent('checkout.session.completed', subscribed));
    expect(late.body.event).toMatchObject({ status: 'PROCESSED', license_id: subscriptionLicense });
    expect(await sql('select id from license where stripe_subscription_id = ?', [sub.id])).toHaveLength(1);
    await until('the deliveries to settle', async () => ((await sql(`select 1 from outbox_message where status = 'PENDING' and event = 'license_issued'`)).length === 0 ? true : undefined));
    expect([keyEmailsTo(subscriber).length, keyEmailsTo(buyer).length]).toEqual([1, 1]);
  });

  it('revokes the one-time licenses refunded in full or disputed whose webhooks never arrived; a partial or failed refund and a won dispute change nothing', async () => {
    const price = `price_Plugin${suffix()}`;
    await createPlan(t.stack, { stripe_price_ids: [price], term_kind: 'PERPETUAL' });
    /** A one-time purchase whose checkout webhook did arrive: its license is ACTIVE. */
    async function purchase() {
      const session = oneTimeCheckoutObject({ customer: `cus_${suffix()}`, email: `plugin-${suffix()}@example.com` });
      stripeKnows({ session: session.id, price });
      const answer = await post(stripeEvent('checkout.session.completed', session));
      expect(answer.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
      return { id: answer.body.event.license_id as string, pi: session.payment_intent };
    }
    const [fullRefund, chargeback, partialRefund, failedRefund, wonDispute] = [await purchase(), await purchase(), await purchase(), await purchase(), await purchase()];
    const refund = (pi: string, status: string, chargeRefunded: boolean) => ({
      id: `re_${suffix()}`, object: 'refund', status, payment_intent: pi, created: now() - HOUR, charge: { id: `ch_${pi}`, object: 'charge', payment_intent: pi, refunded: chargeRefunded },
    });
    const fullRefundRow = refund(fullRefund.pi, 'succeeded', true);
    refunds.push(fullRefundRow, refund(partialRefund.pi, 'succeeded', false), refund(failedRefund.pi, 'failed', true));
    const dispute = { id: `dp_${suffix()}`, object: 'dispute', status: 'needs_response', reason: 'fraudulent', payment_intent: chargeback.pi, charge: `ch_${chargeback.pi}`, created: now() - HOUR };
    disputes.push(dispute, { id: `dp_${suffix()}`, object: 'dispute', status: 'won', reason: 'product_not_received', payment_intent: wonDispute.pi, charge: `ch_${wonDispute.pi}`, created: now() - HOUR });

    const report = await reconcile();
    expect(report.reversals?.sort()).toEqual([
      `${fullRefund.id}: refunded (reconcile:refund:${fullRefundRow.id})`,
      `${chargeback.id}: refunded (reconcile:dispute:${dispute.id})`,
    ].sort());
    await t.untilStatus(fullRefund.id, 'REVOKED');
    await t.untilStatus(chargeback.id, 'REVOKED');
    // The same reasons the webhooks would have given.
    expect(await license(fullRefund.id)).toMatchObject({ status: 'REVOKED', status_reason: `refunded: charge ch_${fullRefund.pi} refunded` });
    expect(await license(chargeback.id)).toMatchObject({ status: 'REVOKED', status_reason: `refunded: chargeback: dispute ${dispute.id} (fraudulent)` });
    for (const kept of [partialRefund, failedRefund, wonDispute]) expect((await license(kept.id)).status).toBe('ACTIVE');

    // The customers hear of it through Customer.io, once.
    for (const revoked of [fullRefund, chargeback]) {
      const [{ customer_id: customerId }] = await sql<{ customer_id: string }>('select customer_id from license where id = ?', [revoked.id]) as [{ customer_id: string }];
      await until(`the license_revoked event of ${revoked.id}`, async () => t.cio.events.find((e) => e.customerId === customerId && e.name === 'license_revoked'));
    }
    expect((await reconcile()).reversals).toEqual([]);
  });
});
