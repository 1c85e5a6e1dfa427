import { workflowIdFor } from '../../workflows/license-state.ts';
import { stateQuery } from '../../workflows/messages.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { chargeObject, oneTimeCheckoutObject, expectAppliedOnce, stripeEvent, suffix, useStripeStack } from '../support/stripe.ts';

const DAY_MS = 86_400_000;

describe('a one-time Stripe checkout (mode payment) sells exactly one license: the plan\'s term, revoked by a full refund or a dispute', () => {
  const t = useStripeStack();
  const { post, sql, license, eventRow, until, untilStatus } = t;

  /** The price of stripe-mock's fixture line item: whatever session is asked, its line item sells this price. */
  let fixturePrice: string | undefined;
  const linePrice = async () => (fixturePrice ??= (await t.stripe.client.checkout.sessions.listLineItems(`cs_test_probe${suffix()}`)).data[0]!.price!.id);

  /** No plan lists the fixture price any more (a price is listed by one plan only). */
  async function unlistFixturePrice() {
    const price = await linePrice();
    const sellers = await sql<{ id: string }>(`select id from plan where stripe_price_ids @> ?::jsonb`, [JSON.stringify([price])]);
    for (const { id } of sellers) expect((await t.stack.request('PATCH', `/v1/plans/${id}`, { body: { stripe_price_ids: [] } })).status).toBe(200);
    return price;
  }

  /** A new plan, with this policy, that alone sells the fixture price. */
  async function planSellingLinePrice(policy: Record<string, unknown> = {}) {
    const price = await unlistFixturePrice();
    return createPlan(t.stack, { stripe_price_ids: [price], ...policy });
  }

  const licensesOf = (session: string) => sql<{ id: string; stripe_payment_intent_id: string | null; stripe_subscription_id: string | null }>(
    'select id, stripe_payment_intent_id, stripe_subscription_id from license where stripe_checkout_session_id = ?',
    [session],
  );

  async function purchase(policy: Record<string, unknown> = {}) {
    const plan = await planSellingLinePrice(policy);
    const customer = `cus_${suffix()}`;
    const session = oneTimeCheckoutObject({ customer, email: `desktop-${suffix()}@example.com` });
    const answer = await post(stripeEvent('checkout.session.completed', session));
    expect(answer.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    return { plan, customer, session, id: answer.body.event.license_id as string };
  }

  it('provisions one perpetual license from a storm of copies (and another event for the same session), emails its key once, and a replay changes nothing', async () => {
    const plan = await planSellingLinePrice({ term_kind: 'PERPETUAL', seat_model: 'DEVICE' });
    const customer = `cus_${suffix()}`;
    const email = `perpetual-${suffix()}@example.com`;
    const session = oneTimeCheckoutObject({ customer, email, domain: 'Example.com' });
    const completed = stripeEvent('checkout.session.completed', session);
    // Another event carrying the same paid session races the copies: one license per session, not per event.
    const again = stripeEvent('checkout.session.async_payment_succeeded', session);

    const answers = await Promise.all([...Array.from({ length: 5 }, () => post(completed)), post(again)]);
    expectAppliedOnce(answers.slice(0, 5));
    expect(answers[5]!.status).toBe(200);
    const licenses = await licensesOf(session.id);
    expect(licenses).toEqual([{ id: expect.any(String), stripe_payment_intent_id: session.payment_intent, stripe_subscription_id: null }]);
    const id = licenses[0]!.id;
    expect(await eventRow(completed.id)).toMatchObject({ status: 'PROCESSED', license_id: id, subscription_id: null });
    expect(await eventRow(again.id)).toMatchObject({ status: 'PROCESSED', license_id: id });

    const view = await license(id);
    // stripe-mock's line item has quantity 1: one seat, as a subscription's quantity gives its seats.
    expect(view).toMatchObject({ status: 'ACTIVE', plan: plan.code, seat_limit: 1, customer_email: email, expires_at: null, trial_ends_at: null });
    expect(view.policy).toMatchObject({ term_kind: 'PERPETUAL', allowed_domains: ['example.com'] });
    expect((await sql('select stripe_customer_id from customer where email = ?', [email]))[0]).toEqual({ stripe_customer_id: customer });
    expect(await sql(`select action from audit_event where license_id = ? and action = 'license.created'`, [id])).toHaveLength(1);

    const outbox = await sql('select event, idempotency_key, recipient, payload from outbox_message where license_id = ?', [id]);
    expect(outbox).toEqual([
      {
        event: 'license_issued',
        idempotency_key: `license_issued:${id}`,
        recipient: email,
        payload: expect.objectContaining({ license_id: id, plan: plan.code, expires_at: null, seat_limit: 1, stripe_checkout_session_id: session.id }),
      },
    ]);
    const key = t.stack.secret.decrypt((await sql<{ key_ciphertext: string }>('select key_ciphertext from license where id = ?', [id]))[0]!.key_ciphertext, `license:${id}`);
    expect(JSON.stringify(outbox)).not.toContain(key);
    expect((await t.stack.request('POST', '/v1/validate', { body: { key, domain: 'example.com' }, token: null })).body).toMatchObject({ valid: true, code: 'VALID' });
    // Its workflow runs, as for every license.
    expect(await t.stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery)).toMatchObject({ status: 'ACTIVE', expiresAt: null });

    const replayed = await t.stack.request('POST', `/v1/stripe/events/${completed.id}/replay`);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', license_id: id });
    expect(await licensesOf(session.id)).toHaveLength(1);
    expect(await sql(`select id from outbox_message where license_id = ? and event = 'license_issued'`, [id])).toHaveLength(1);
  });

  it('gives a fixed-term plan\'s purchase the plan\'s term from now, and an end-dated plan\'s its end date', async () => {
    const before = Date.now();
    const yearly = await purchase({ term_kind: 'DURATION', term_days: 365 });
    const expires = Date.parse((await license(yearly.id)).expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 365 * DAY_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 365 * DAY_MS);

    const endsAt = new Date(Date.now() + 200 * DAY_MS).toISOString();
    const dated = await purchase({ term_kind: 'FIXED_END', term_ends_at: endsAt });
    expect(await license(dated.id)).toMatchObject({ status: 'ACTIVE', expires_at: endsAt });
  });

  it('provisions nothing for an unpaid (asynchronous) payment until checkout.session.async_payment_succeeded', async () => {
    await planSellingLinePrice();
    const customer = `cus_${suffix()}`;
    const email = `async-${suffix()}@example.com`;
    const session = oneTimeCheckoutObject({ customer, email, paymentStatus: 'unpaid' });
    const completed = stripeEvent('checkout.session.completed', session);
    const first = await post(completed);
    expect(first.body.event).toMatchObject({ status: 'IGNORED', license_id: null, detail: expect.stringContaining('not paid yet') });
    expect(await licensesOf(session.id)).toEqual([]);
    expect(await sql('select id from outbox_message where recipient = ?', [email])).toEqual([]);

    // A failed bank debit provisions nothing either.
    const failedSession = oneTimeCheckoutObject({ customer: `cus_${suffix()}`, paymentStatus: 'unpaid' });
    expect((await post(stripeEvent('checkout.session.async_payment_failed', failedSession))).body.event.status).toBe('IGNORED');
    expect(await licensesOf(failedSession.id)).toEqual([]);

    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' });
    const paid = await post(succeeded);
    expect(paid.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    expect(await licensesOf(session.id)).toEqual([expect.objectContaining({ id: paid.body.event.license_id })]);
    // The unpaid completion, replayed, still says unpaid: it adds nothing.
    expect((await t.stack.request('POST', `/v1/stripe/events/${completed.id}/replay`)).body.status).toBe('IGNORED');
    expect(await licensesOf(session.id)).toHaveLength(1);
    expect(await sql(`select event from outbox_message where recipient = ?`, [email])).toEqual([{ event: 'license_issued' }]);
  });

  it('keeps a purchase of a price no plan sells FAILED (UNKNOWN_PRICE), provisions nothing, and provisions it on replay after the fix', async () => {
    const price = await unlistFixturePrice();
    const plan = await createPlan(t.stack, { stripe_price_ids: [] });
    const session = oneTimeCheckoutObject({ customer: `cus_${suffix()}`, email: `unknown-${suffix()}@example.com` });
    const checkout = stripeEvent('checkout.session.completed', session);
    const first = await post(checkout);
    expect(first.status).toBe(200);
    expect(first.body.event).toMatchObject({ status: 'FAILED', error_code: 'UNKNOWN_PRICE', error: expect.stringContaining(price), license_id: null });
    expect(await licensesOf(session.id)).toEqual([]);
    expect((await post(checkout)).body.event).toMatchObject({ status: 'FAILED', error_code: 'UNKNOWN_PRICE' });
    const listed = await t.stack.request('GET', '/v1/stripe/events?status=FAILED&type=checkout.session.completed');
    expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(checkout.id);

    await t.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { stripe_price_ids: [price] } });
    const replayed = await t.stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', error_code: null, license_id: expect.any(String) });
    expect(await license(replayed.body.license_id)).toMatchObject({ status: 'ACTIVE', plan: plan.code });
    expect((await t.stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`)).body.license_id).toBe(replayed.body.license_id);
    expect(await licensesOf(session.id)).toHaveLength(1);
  });

  it('ignores a partial refund, revokes on a full refund of the payment, and revokes on a dispute of it', async () => {
    const refunded = await purchase();
    const partial = stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, paymentIntent: refunded.session.payment_intent, refunded: false }));
    expect((await post(partial)).body.event.status).toBe('IGNORED');
    expect((await license(refunded.id)).status).toBe('ACTIVE');
    const full = stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, paymentIntent: refunded.session.payment_intent }));
    expect((await post(full)).body.event).toMatchObject({ status: 'PROCESSED', license_id: refunded.id });
    await untilStatus(refunded.id, 'REVOKED');
    expect((await license(refunded.id)).status_reason).toMatch(/refund/);
    // A replay of the purchase never brings a refunded license back.
    const [purchaseEvent] = await sql<{ id: string }>(`select id from stripe_event where license_id = ? and type = 'checkout.session.completed'`, [refunded.id]);
    expect((await t.stack.request('POST', `/v1/stripe/events/${purchaseEvent!.id}/replay`)).body).toMatchObject({ status: 'PROCESSED', license_id: refunded.id });
    expect((await license(refunded.id)).status).toBe('REVOKED');

    const disputed = await purchase();
    const dispute = { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge: `ch_${suffix()}`, payment_intent: disputed.session.payment_intent };
    expect((await post(stripeEvent('charge.dispute.created', dispute))).body.event).toMatchObject({ status: 'PROCESSED', license_id: disputed.id });
    await until('REVOKED by the chargeback', async () => ((await license(disputed.id)).status === 'REVOKED' ? true : undefined));
    expect((await license(disputed.id)).status_reason).toMatch(/chargeback/);
  });

  it('never revokes the customer\'s subscription license for a one-time payment that has none, and issues none for a payment refunded first', async () => {
    // The customer already holds a subscription license (the only one, so a charge naming no invoice would fall back to it).
    const held = await purchase();
    await sql(`update license set stripe_subscription_id = ?, stripe_payment_intent_id = null, stripe_checkout_session_id = null where id = ?`, [`sub_${suffix()}`, held.id]);
    // A one-time purchase of theirs that never became a license (the async payment has not cleared), then refunded in full.
    const unpaid = oneTimeCheckoutObject({ customer: held.customer, paymentStatus: 'unpaid' });
    expect((await post(stripeEvent('checkout.session.completed', unpaid))).body.event.status).toBe('IGNORED');
    const refund = await post(stripeEvent('charge.refunded', chargeObject({ customer: held.customer, paymentIntent: unpaid.payment_intent })));
    expect(refund.status).toBe(200);
    expect(refund.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', license_id: null });
    expect((await license(held.id)).status).toBe('ACTIVE');

    // The refund (or a dispute) arrives before the purchase it reverses: no license is issued for money already returned.
    await planSellingLinePrice();
    const reversed = oneTimeCheckoutObject({ customer: `cus_${suffix()}` });
    await post(stripeEvent('charge.dispute.created', { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge: `ch_${suffix()}`, payment_intent: reversed.payment_intent }));
    const late = await post(stripeEvent('checkout.session.completed', reversed));
    expect(late.status).toBe(200);
    expect(late.body.event).toMatchObject({ status: 'FAILED', error_code: 'PAYMENT_REVERSED', license_id: null });
    expect(await licensesOf(reversed.id)).toEqual([]);
  });

  it('ignores a setup-mode checkout: it sells nothing', async () => {
    const session = { ...oneTimeCheckoutObject({ customer: `cus_${suffix()}` }), mode: 'setup', payment_intent: null, payment_status: 'no_payment_required' };
    const answer = await post(stripeEvent('checkout.session.completed', session));
    expect(answer.body.event).toMatchObject({ status: 'IGNORED', detail: expect.stringContaining('sells nothing') });
    expect(await licensesOf(session.id)).toEqual([]);
  });
});
