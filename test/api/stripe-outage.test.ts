import { workflowIdFor } from '../../workflows/license-state.ts';
import { stateQuery } from '../../workflows/messages.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { UPSTREAM_ERROR_TEXT, type StripeApiMode } from '../support/stripe-front.ts';
import { checkoutObject, invoiceObject, stripeEvent, subscriptionObject, future, suffix, useStripeStack } from '../support/stripe.ts';

/** An invoice without service periods on its lines: its period end is read from the Stripe API. */
const invoiceWithoutPeriod = (options: Parameters<typeof invoiceObject>[0]) => ({ ...invoiceObject(options), lines: { object: 'list', data: [] } });

describe('the Stripe API unavailable while an event is applied: the webhook asks Stripe to deliver again, and nothing is half-applied', () => {
  const t = useStripeStack({ front: true });
  const { post, sql, licenseOf, license, eventRow, catalog, untilStatus } = t;
  const apiCalls = (path: string) => t.front.requests.filter((line) => line.startsWith(`GET ${path} `) && !line.endsWith(' up')).length;

  /** The plan selling the price of stripe-mock's fixture subscription (one plan per price). */
  let fixturePlan: Promise<unknown> | undefined;

  afterEach(() => {
    t.front.mode = 'up';
  });

  /** What Stripe sees while the API is down: a retryable answer with a stable code, and no cause. */
  function expectRetryableProblem(answer: { status: number; headers: Headers; body: any }, eventId: string) {
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 503, code: 'STRIPE_EVENT_NOT_APPLIED', detail: expect.stringContaining(eventId) });
    expect(answer.body.detail).toContain('the Stripe API did not answer');
    expect(JSON.stringify(answer.body)).not.toContain(UPSTREAM_ERROR_TEXT);
  }

  async function expectKeptForRedelivery(eventId: string) {
    const row = (await eventRow(eventId))!;
    expect(row).toMatchObject({ status: 'FAILED', error_code: 'DELIVERY_FAILED' });
    expect(row.error).not.toContain(UPSTREAM_ERROR_TEXT);
    const listed = await t.stack.request('GET', `/v1/stripe/events?status=FAILED&type=${row.type}`);
    expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(eventId);
  }

  it.each<{ mode: StripeApiMode; how: string }>([
    { mode: 'unavailable', how: 'answers 503' },
    { mode: 'unreachable', how: 'drops the connection' },
  ])('a checkout that reads its subscription while the Stripe API $how provisions nothing, and its redelivery provisions one license', async ({ mode }) => {
    // The checkout comes first: provisioning reads the subscription (stripe-mock's fixture) from the API.
    fixturePlan ??= t.stripe.client.subscriptions.retrieve(`sub_probe${suffix()}`).then((fixture) => createPlan(t.stack, { stripe_price_ids: [fixture.items.data[0]!.price.id] }));
    await fixturePlan;
    const subscription = `sub_${suffix()}`;
    const email = `outage-${suffix()}@example.com`;
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer: `cus_${suffix()}`, email }));

    t.front.mode = mode;
    const answer = await post(checkout);
    expectRetryableProblem(answer, checkout.id);
    // The client's own retries were spent against the outage before the webhook answered.
    expect(apiCalls(`/v1/subscriptions/${subscription}`)).toBeGreaterThanOrEqual(3);
    await expectKeptForRedelivery(checkout.id);
    expect(await licenseOf(subscription)).toBeUndefined();
    expect(await sql('select id from customer where email = ?', [email])).toEqual([]);
    expect(await sql(`select id from outbox_message where recipient = ?`, [email])).toEqual([]);

    // Stripe delivers again once its API answers.
    t.front.mode = 'up';
    const again = await post(checkout);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, event: { status: 'PROCESSED', error_code: null, license_id: expect.any(String) } });
    expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toEqual([{ id: again.body.event.license_id }]);
    expect(await sql(`select event from outbox_message where recipient = ?`, [email])).toEqual([{ event: 'license_issued' }]);
  });

  it('an invoice.paid that reads its period from the Stripe API while it answers 503 changes nothing, and its redelivery recovers the license', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const end = future(30);
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: end })));
    await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `paid-${suffix()}@example.com` })));
    const id = (await licenseOf(subscription))!;
    await post(stripeEvent('invoice.payment_failed', invoiceObject({ subscription, customer, periodEnd: future(60), price: basicPrice })));
    await untilStatus(id, 'PAST_DUE');
    const auditBefore = await sql('select action from audit_event where license_id = ? order by created_at', [id]);

    const paid = stripeEvent('invoice.paid', invoiceWithoutPeriod({ subscription, customer, periodEnd: future(60), price: basicPrice }));
    t.front.mode = 'unavailable';
    expectRetryableProblem(await post(paid), paid.id);
    expect(apiCalls(`/v1/subscriptions/${subscription}`)).toBeGreaterThanOrEqual(3);
    await expectKeptForRedelivery(paid.id);
    // Never handed to the workflow: the row, the audit trail and the workflow's memory are as before.
    expect(await license(id)).toMatchObject({ status: 'PAST_DUE', expires_at: new Date(end).toISOString() });
    expect(await sql('select action from audit_event where license_id = ? order by created_at', [id])).toEqual(auditBefore);
    expect((await t.stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery)).appliedEventIds).not.toContain(paid.id);

    t.front.mode = 'up';
    const again = await post(paid);
    expect(again.status).toBe(200);
    expect(again.body.event).toMatchObject({ status: 'PROCESSED', license_id: id });
    await untilStatus(id, 'ACTIVE');
    const actions = (await sql<{ action: string; actor: string }>('select action, actor from audit_event where license_id = ? order by created_at', [id])).map((r) => `${r.action} ${r.actor}`);
    expect(actions.filter((a) => a.endsWith(`billing:${paid.id}`))).toEqual([`license.payment_recovered billing:${paid.id}`]);
  });

  it('events that waited for their checkout and meet the outage when it provisions make the checkout answer 503; its redelivery applies them', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const end = future(30);
    // Stripe does not keep order: the subscription and both invoices arrive before the checkout, and wait for it.
    const created = stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: end }));
    const failed = stripeEvent('invoice.payment_failed', invoiceObject({ subscription, customer, periodEnd: future(60), price: basicPrice }));
    const paid = stripeEvent('invoice.paid', invoiceWithoutPeriod({ subscription, customer, periodEnd: future(60), price: basicPrice }));
    for (const event of [created, failed, paid]) expect((await post(event)).body.event.status).toBe('DEFERRED');

    t.front.mode = 'unavailable';
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `waiting-${suffix()}@example.com` }));
    const answer = await post(checkout);
    // Stripe was answered 200 for the invoice long ago: only the checkout's redelivery can bring it back.
    expectRetryableProblem(answer, checkout.id);
    const id = (await licenseOf(subscription))!;
    expect((await eventRow(checkout.id))!).toMatchObject({ status: 'FAILED', error_code: 'DELIVERY_FAILED', license_id: id });
    await expectKeptForRedelivery(paid.id);
    // Each event is applied whole or not at all: the license and the failure are in, the payment is not.
    expect((await eventRow(created.id))!.status).toBe('IGNORED');
    expect((await eventRow(failed.id))!.status).toBe('PROCESSED');
    await untilStatus(id, 'PAST_DUE');
    expect((await t.stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery)).appliedEventIds).not.toContain(paid.id);

    t.front.mode = 'up';
    const again = await post(checkout);
    expect(again.status).toBe(200);
    expect(again.body.event).toMatchObject({ status: 'PROCESSED', license_id: id, error_code: null });
    expect((await eventRow(paid.id))!).toMatchObject({ status: 'PROCESSED', license_id: id });
    await untilStatus(id, 'ACTIVE');
    expect(await sql('select id from license where stripe_subscription_id = ?', [subscription])).toHaveLength(1);
    expect(await sql(`select event from outbox_message where license_id = ? and event = 'license_issued'`, [id])).toHaveLength(1);
  });
});
