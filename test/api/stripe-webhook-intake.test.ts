import { startReplica } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { claimStripeEvent, recordStripeEvent } from '../../domain/stripe/stripe-event-log.ts';
import { checkoutObject, invoiceObject, postEvent, stripeEvent, subscriptionObject, future, suffix, useStripeStack, WEBHOOK_SECRET } from '../support/stripe.ts';

describe('the Stripe webhook (POST /v1/webhooks/stripe) takes signed events only, in any order, and keeps what it cannot apply for replay', () => {
  const t = useStripeStack();
  const { post, sql, licenseOf, license, until, catalog } = t;

  it('answers a clear problem and stores nothing when the signature is missing or wrong', async () => {
    const event = stripeEvent('invoice.paid', invoiceObject({ subscription: 'sub_x', customer: 'cus_x', periodEnd: future(30), price: 'price_x' }));
    const unsigned = await postEvent(t.stack, t.stripe.client, event, { signature: null });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toMatchObject({ code: 'STRIPE_SIGNATURE_INVALID' });
    const forged = await postEvent(t.stack, t.stripe.client, event, { secret: 'whsec_someone_else' });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('STRIPE_SIGNATURE_INVALID');
    const tampered = t.stripe.client.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: WEBHOOK_SECRET });
    const altered = await postEvent(t.stack, t.stripe.client, { ...event, type: 'charge.refunded' }, { signature: tampered });
    expect(altered.status).toBe(400);
    expect(await sql('select id from stripe_event where id = ?', [event.id])).toEqual([]);
  });

  it('answers STRIPE_NOT_CONFIGURED without Stripe settings', async () => {
    // A replica without Stripe settings.
    const replica = await startReplica(t.stack);
    try {
      const response = await fetch(`${replica.url}/v1/webhooks/stripe`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'STRIPE_NOT_CONFIGURED' });
    } finally {
      await replica.close();
    }
  });

  it('keeps an event for an unknown price as FAILED, provisions nothing, and applies it on replay after the fix', async () => {
    const plan = await createPlan(t.stack, { stripe_price_ids: [] });
    const price = `price_New${suffix()}`;
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price, periodEnd: future(30) })));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `unknown-${suffix()}@example.com` }));
    const first = await post(checkout);
    expect(first.status).toBe(200);
    expect(first.body.event).toMatchObject({ status: 'FAILED', error_code: 'UNKNOWN_PRICE', error: expect.stringContaining(price) });
    expect(await licenseOf(subscription)).toBeUndefined();
    // A redelivery before the fix fails the same way, and still provisions nothing.
    expect((await post(checkout)).body.event).toMatchObject({ status: 'FAILED', error_code: 'UNKNOWN_PRICE' });

    const listed = await t.stack.request('GET', `/v1/stripe/events?status=FAILED&subscription_id=${subscription}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: checkout.id, error_code: 'UNKNOWN_PRICE' })]);

    await t.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { stripe_price_ids: [price] } });
    const replayed = await t.stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', error_code: null, license_id: expect.any(String) });
    expect(await licenseOf(subscription)).toBe(replayed.body.license_id);
    // Replaying again changes nothing: still one license.
    expect((await t.stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`)).body.license_id).toBe(replayed.body.license_id);
    expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toHaveLength(1);
    expect((await t.stack.request('POST', '/v1/stripe/events/evt_missing/replay')).body.code).toBe('STRIPE_EVENT_NOT_FOUND');
  });

  it('refuses a redelivery while a crashed delivery still holds the event, and applies it once that claim has expired', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: future(30) })));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `crash-${suffix()}@example.com` }));
    // A delivery recorded and claimed the checkout, then its process died: the row stays PROCESSING.
    await recordStripeEvent(t.stack.db.orm.em, checkout);
    expect(await claimStripeEvent(t.stack.db.orm.em, checkout.id, ['RECEIVED'])).toMatchObject({ status: 'PROCESSING' });

    // Stripe's redelivery is not told "done" for work nobody is doing: it is asked to come back.
    const refused = await post(checkout);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.body).toMatchObject({ code: 'STRIPE_EVENT_BUSY', detail: expect.stringContaining(checkout.id) });
    expect(await licenseOf(subscription)).toBeUndefined();

    // Once the claim has expired, the next delivery takes the event over and applies it, once.
    await sql(`update stripe_event set claimed_at = now() - interval '3 minutes' where id = ?`, [checkout.id]);
    const applied = await post(checkout);
    expect(applied.status).toBe(200);
    expect(applied.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toHaveLength(1);
  });

  it('keeps a checkout without any customer email as FAILED (the Stripe customer, read from the API, has none)', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: future(30) })));
    const answer = await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: null })));
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'MISSING_CUSTOMER_EMAIL' });
    expect(await licenseOf(subscription)).toBeUndefined();
  });

  it('converges to the same state whatever order a whole subscription life arrives in', async () => {
    const { pro, basicPrice, proPrice } = await catalog({ payment_grace_days: 5 });
    const life = () => {
      const subscription = `sub_${suffix()}`;
      const customer = `cus_${suffix()}`;
      const [end1, end2] = [future(30), future(60)];
      const base = subscriptionObject(subscription, { customer, price: basicPrice, quantity: 1, unitAmount: 1000, periodEnd: end1 });
      const upgraded = subscriptionObject(subscription, { customer, price: proPrice, quantity: 4, unitAmount: 3000, periodEnd: end1 });
      const events = [
        stripeEvent('customer.subscription.created', base),
        stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `life-${suffix()}@example.com` })),
        stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: end1, price: basicPrice, billingReason: 'subscription_create' })),
        stripeEvent('customer.subscription.updated', upgraded, { previous: { items: base.items } }),
        stripeEvent('invoice.payment_failed', invoiceObject({ subscription, customer, periodEnd: end2, price: proPrice })),
        stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: end2, price: proPrice })),
      ];
      return { subscription, events, end2 };
    };
    const orders: ((events: object[]) => object[])[] = [
      (events) => events,
      (events) => [...events].reverse(),
      (events) => [events[3]!, events[5]!, events[1]!, events[4]!, events[0]!, events[2]!],
      (events) => [events[4]!, events[2]!, events[5]!, events[1]!, events[3]!, events[0]!],
    ];
    for (const order of orders) {
      const { subscription, events, end2 } = life();
      for (const event of order(events)) expect((await post(event)).status).toBe(200);
      const id = await until(`the license (events: ${JSON.stringify(await sql('select type, status, error from stripe_event where subscription_id = ? order by stripe_created_at', [subscription]))})`, () => licenseOf(subscription));
      const final = await until('the final state', async () => {
        const view = await license(id);
        return view.status === 'ACTIVE' && view.plan === pro.code && view.seat_limit === 4 && view.expires_at === new Date(end2).toISOString() ? view : undefined;
      });
      expect(final.status).toBe('ACTIVE');
      expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toHaveLength(1);
      const statuses = await sql<{ status: string }>("select status from stripe_event where subscription_id = ? and status in ('DEFERRED', 'FAILED', 'RECEIVED', 'PROCESSING')", [subscription]);
      expect(statuses).toEqual([]);
    }
  });
});
