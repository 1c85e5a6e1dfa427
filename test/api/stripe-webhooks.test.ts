import { randomBytes } from 'node:crypto';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { startReplica, type ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { checkoutObject, chargeObject, invoiceObject, postEvent, stripeEvent, subscriptionObject, future, startStripeStack } from '../support/stripe.ts';

const suffix = () => randomBytes(5).toString('hex');

describe('Stripe webhooks drive the license lifecycle (POST /v1/webhooks/stripe)', () => {
  let stack: ApiStack;
  let stripe: StripeServices;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ stack, stripe, close } = await startStripeStack());
  });
  afterAll(async () => {
    await close?.();
  });

  const post = (event: object) => postEvent(stack, stripe.client, event);
  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) => stack.db.orm.em.fork().execute<T[]>(query, params);
  const licenseOf = async (subscription: string) => (await sql<{ id: string }>('select id from license where stripe_subscription_id = ?', [subscription]))[0]?.id;
  const license = async (id: string) => (await stack.request('GET', `/v1/licenses/${id}`)).body;
  const until = <T>(what: string, check: () => Promise<T | undefined>) => eventually(check, { what, timeoutMs: 20_000 });
  const eventRow = async (id: string) => (await sql('select * from stripe_event where id = ?', [id]))[0];

  /** A product with two plans (basic, pro) each selling its own price. */
  async function catalog(policy: Record<string, unknown> = {}) {
    const basicPrice = `price_Basic${suffix()}`;
    const proPrice = `price_Pro${suffix()}`;
    const basic = await createPlan(stack, { stripe_price_ids: [basicPrice], payment_grace_days: 3, ...policy });
    const pro = await stack.request('POST', '/v1/plans', { body: { product_id: basic.product_id, code: `pro-${suffix()}`, name: 'Pro', tier: 'pro', stripe_price_ids: [proPrice], ...policy } });
    return { basic, pro: pro.body as { id: string; code: string }, basicPrice, proPrice };
  }

  it('answers a clear problem and stores nothing when the signature is missing or wrong', async () => {
    const event = stripeEvent('invoice.paid', invoiceObject({ subscription: 'sub_x', customer: 'cus_x', periodEnd: future(30), price: 'price_x' }));
    const unsigned = await postEvent(stack, stripe.client, event, { signature: null });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toMatchObject({ code: 'STRIPE_SIGNATURE_INVALID' });
    const forged = await postEvent(stack, stripe.client, event, { secret: 'whsec_someone_else' });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('STRIPE_SIGNATURE_INVALID');
    const tampered = stripe.client.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: (await import('../support/stripe.ts')).WEBHOOK_SECRET });
    const altered = await postEvent(stack, stripe.client, { ...event, type: 'charge.refunded' }, { signature: tampered });
    expect(altered.status).toBe(400);
    expect(await sql('select id from stripe_event where id = ?', [event.id])).toEqual([]);
  });

  it('answers STRIPE_NOT_CONFIGURED without Stripe settings', async () => {
    // A replica without Stripe settings.
    const replica = await startReplica(stack);
    try {
      const response = await fetch(`${replica.url}/v1/webhooks/stripe`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'STRIPE_NOT_CONFIGURED' });
    } finally {
      await replica.close();
    }
  });

  it('provisions exactly one license from a duplicate storm (each event five times at once), then renews, fails, recovers', async () => {
    const { basic, basicPrice } = await catalog({ seat_model: 'DEVICE' });
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const email = `storm-${suffix()}@example.com`;
    const firstEnd = future(30);
    const created = stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, quantity: 3, periodEnd: firstEnd }));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email, domain: 'Example.com' }));
    const firstInvoice = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: firstEnd, price: basicPrice, billingReason: 'subscription_create' }));

    for (const event of [created, checkout, firstInvoice]) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(event)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    }
    const licenses = await sql<{ id: string; key_hash: string }>('select id, key_hash from license where stripe_subscription_id = ?', [subscription]);
    expect(licenses).toHaveLength(1);
    const id = licenses[0]!.id;
    const view = await license(id);
    expect(view).toMatchObject({ status: 'ACTIVE', plan: basic.code, seat_limit: 3, customer_email: email, expires_at: new Date(firstEnd).toISOString() });
    expect(view.policy.allowed_domains).toEqual(['example.com']);
    const [customerRow] = await sql('select stripe_customer_id from customer where email = ?', [email]);
    expect(customerRow!.stripe_customer_id).toBe(customer);
    const outbox = await sql('select event, idempotency_key, recipient, payload from outbox_message where license_id = ?', [id]);
    expect(outbox).toEqual([{ event: 'license_issued', idempotency_key: `license_issued:${id}`, recipient: email, payload: expect.objectContaining({ license_id: id, plan: basic.code }) }]);
    const key = stack.secret.decrypt((await sql<{ key_ciphertext: string }>('select key_ciphertext from license where id = ?', [id]))[0]!.key_ciphertext, `license:${id}`);
    expect(JSON.stringify(outbox)).not.toContain(key);
    expect((await eventRow(checkout.id))!.status).toBe('PROCESSED');
    expect((await eventRow(created.id))!.status).toBe('IGNORED');
    expect((await eventRow(checkout.id))!.attempts).toBe(1);

    // The renewal: same key, new expiry from the period the invoice paid for.
    const secondEnd = future(60);
    const renewal = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: secondEnd, price: basicPrice }));
    await Promise.all(Array.from({ length: 5 }, () => post(renewal)));
    await until('the renewal', async () => ((await license(id)).expires_at === new Date(secondEnd).toISOString() ? true : undefined));
    expect((await sql('select key_hash from license where id = ?', [id]))[0]!.key_hash).toBe(licenses[0]!.key_hash);
    expect((await stack.request('POST', '/v1/validate', { body: { key, domain: 'example.com' }, token: null })).body).toMatchObject({ valid: true, code: 'VALID' });

    // A failed payment: PAST_DUE (a warning), then a later successful payment: ACTIVE again.
    const thirdEnd = future(90);
    const failed = stripeEvent('invoice.payment_failed', invoiceObject({ subscription, customer, periodEnd: thirdEnd, price: basicPrice }));
    await Promise.all(Array.from({ length: 5 }, () => post(failed)));
    await until('PAST_DUE', async () => ((await license(id)).status === 'PAST_DUE' ? true : undefined));
    expect((await stack.request('POST', '/v1/validate', { body: { key, domain: 'example.com' }, token: null })).body).toMatchObject({ valid: true, code: 'PAST_DUE' });
    // The row is written by the workflow's activity a moment before the workflow's own state moves on.
    await until('the payment grace on the timeline', async () => {
      const timeline = (await stack.request('GET', `/v1/licenses/${id}/timeline`)).body;
      return timeline.upcoming.some((d: { kind: string }) => d.kind === 'payment_grace_end') ? true : undefined;
    });
    const recovered = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: thirdEnd, price: basicPrice }));
    await post(recovered);
    await until('ACTIVE again', async () => ((await license(id)).status === 'ACTIVE' ? true : undefined));
    expect((await license(id)).expires_at).toBe(new Date(thirdEnd).toISOString());
    const audit = (await sql<{ action: string }>('select action from audit_event where license_id = ? order by created_at', [id])).map((r) => r.action);
    expect(audit.filter((a) => a === 'license.renewed')).toHaveLength(2);
    expect(audit.filter((a) => a === 'license.past_due')).toHaveLength(1);
  });

  it('applies upgrades at once and downgrades at the end of the period', async () => {
    const { basic, pro, basicPrice, proPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const end = future(30);
    const base = subscriptionObject(subscription, { customer, price: basicPrice, quantity: 2, unitAmount: 1000, periodEnd: end });
    await post(stripeEvent('customer.subscription.created', base));
    await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `plans-${suffix()}@example.com` })));
    const id = (await licenseOf(subscription))!;

    const upgraded = subscriptionObject(subscription, { customer, price: proPrice, quantity: 5, unitAmount: 3000, periodEnd: end });
    await post(stripeEvent('customer.subscription.updated', upgraded, { previous: { items: base.items } }));
    await until('the upgrade', async () => ((await license(id)).plan === pro.code ? true : undefined));
    expect((await license(id)).seat_limit).toBe(5);

    const downgraded = subscriptionObject(subscription, { customer, price: basicPrice, quantity: 1, unitAmount: 1000, periodEnd: end });
    await post(stripeEvent('customer.subscription.updated', downgraded, { previous: { items: upgraded.items } }));
    const timeline = await until('the scheduled downgrade', async () => {
      const body = (await stack.request('GET', `/v1/licenses/${id}/timeline`)).body;
      return body.scheduled_plan_change ? body : undefined;
    });
    expect(timeline.scheduled_plan_change).toEqual({ plan: basic.code, effective_at: new Date(end).toISOString() });
    expect((await license(id)).plan).toBe(pro.code);
  });

  it('starts a trialing subscription as a trial, moves its end on Stripe\'s notice with a reminder, and converts on payment', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const [trialEnd, movedEnd, paidThrough] = [future(14), future(10), future(44)];
    const trialing = subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: trialEnd, status: 'trialing', trialEnd });
    await post(stripeEvent('customer.subscription.created', trialing));
    await post(stripeEvent('checkout.session.completed', { ...checkoutObject({ subscription, customer, email: `trial-${suffix()}@example.com` }), payment_status: 'no_payment_required' }));
    const id = (await licenseOf(subscription))!;
    expect(await license(id)).toMatchObject({ status: 'TRIALING', trial_ends_at: new Date(trialEnd).toISOString(), expires_at: null });

    const notice = stripeEvent('customer.subscription.trial_will_end', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: movedEnd, status: 'trialing', trialEnd: movedEnd }));
    await Promise.all([post(notice), post(notice)]);
    await until('the moved trial end', async () => ((await license(id)).trial_ends_at === new Date(movedEnd).toISOString() ? true : undefined));
    // The reminder is queued by the activity after the one that moved the row: wait for it.
    const reminders = await until('the trial reminder', async () => {
      const rows = await sql('select event, payload from outbox_message where license_id = ? and event = ?', [id, 'trial_ending']);
      return rows.length ? rows : undefined;
    });
    expect(reminders).toEqual([{ event: 'trial_ending', payload: expect.objectContaining({ trial_ends_at: new Date(movedEnd).toISOString(), source: 'billing' }) }]);

    await post(stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: paidThrough, price: basicPrice, billingReason: 'subscription_cycle' })));
    await until('the conversion', async () => ((await license(id)).status === 'ACTIVE' ? true : undefined));
    expect((await license(id)).expires_at).toBe(new Date(paidThrough).toISOString());
  });

  it('revokes on a refund or a dispute, and never brings a revoked license back', async () => {
    const { basicPrice } = await catalog();
    const provision = async () => {
      const subscription = `sub_${suffix()}`;
      const customer = `cus_${suffix()}`;
      await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: future(30) })));
      await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `refund-${suffix()}@example.com` })));
      return { subscription, customer, id: (await licenseOf(subscription))! };
    };

    const refunded = await provision();
    const paidThrough = future(30);
    const invoice = invoiceObject({ subscription: refunded.subscription, customer: refunded.customer, periodEnd: paidThrough, price: basicPrice });
    await post(stripeEvent('invoice.paid', invoice));
    const partial = stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, invoice: invoice.id, refunded: false }));
    expect((await post(partial)).body.event.status).toBe('IGNORED');
    await post(stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, invoice: invoice.id })));
    await until('REVOKED by the refund', async () => ((await license(refunded.id)).status === 'REVOKED' ? true : undefined));
    const late = stripeEvent('invoice.paid', invoiceObject({ subscription: refunded.subscription, customer: refunded.customer, periodEnd: future(400), price: basicPrice }));
    const answer = await post(late);
    expect(answer.body.event).toMatchObject({ status: 'IGNORED', detail: expect.stringContaining('revoked') });
    expect(await license(refunded.id)).toMatchObject({ status: 'REVOKED', expires_at: new Date(paidThrough).toISOString() });

    const disputed = await provision();
    const charge = chargeObject({ customer: disputed.customer });
    await post(stripeEvent('charge.dispute.created', { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge }));
    await until('REVOKED by the chargeback', async () => ((await license(disputed.id)).status === 'REVOKED' ? true : undefined));
    expect((await license(disputed.id)).status_reason).toMatch(/chargeback/);
  });

  it('keeps an event for an unknown price as FAILED, provisions nothing, and applies it on replay after the fix', async () => {
    const plan = await createPlan(stack, { stripe_price_ids: [] });
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
    expect((await post(checkout)).body.event).toMatchObject({ status: 'FAILED', attempts: 2 });

    const listed = await stack.request('GET', `/v1/stripe/events?status=FAILED&subscription_id=${subscription}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: checkout.id, error_code: 'UNKNOWN_PRICE' })]);

    await stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { stripe_price_ids: [price] } });
    const replayed = await stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', error_code: null, license_id: expect.any(String) });
    expect(await licenseOf(subscription)).toBe(replayed.body.license_id);
    // Replaying again changes nothing: still one license.
    expect((await stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`)).body.license_id).toBe(replayed.body.license_id);
    expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toHaveLength(1);
    expect((await stack.request('POST', '/v1/stripe/events/evt_missing/replay')).body.code).toBe('STRIPE_EVENT_NOT_FOUND');
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
