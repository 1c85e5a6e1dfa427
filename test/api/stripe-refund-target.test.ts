import { chargeObject, checkoutObject, stripeEvent, subscriptionObject, future, suffix, useStripeStack } from '../support/stripe.ts';

/**
 * Charges of the pinned API version name no invoice: the license a refund or chargeback reverses
 * is found through the Stripe API (the invoice's payments, Checkout Sessions). stripe-mock's lists
 * ignore their filters, so the front answers those lists as Stripe would for these payments.
 */
describe('a refund or chargeback reverses the license its payment paid for, found through the Stripe API', () => {
  const t = useStripeStack({ front: true });
  const { post, licenseOf, license, eventRow, catalog, untilStatus } = t;

  /** The invoice payments (invoice, status) and one-time Checkout Sessions of each payment intent, as the Stripe API lists them. */
  const invoicePayments = new Map<string, Array<{ invoice: string; status: string }>>();
  const checkoutOfPayment = new Map<string, string>();
  /** Payment intents whose invoice payments the API refuses to list (a key without that permission). */
  const refused = new Set<string>();

  const list = (url: string, data: unknown[]) => ({ body: { object: 'list', data, has_more: false, url } });

  beforeAll(() => {
    t.front.answers.set('GET /v1/invoice_payments', (query) => {
      const paymentIntent = query.get('payment[payment_intent]') ?? '';
      if (refused.has(paymentIntent)) {
        return { status: 403, body: { error: { type: 'invalid_request_error', code: 'secret_key_required', message: 'The provided key does not have the required permissions for this endpoint.' } } };
      }
      const payments = invoicePayments.get(paymentIntent) ?? [];
      return list('/v1/invoice_payments', payments.map(({ invoice, status }) => ({ id: `inpay_${suffix()}`, object: 'invoice_payment', invoice, status, payment: { type: 'payment_intent', payment_intent: paymentIntent } })));
    });
    t.front.answers.set('GET /v1/checkout/sessions', (query) => {
      const paymentIntent = query.get('payment_intent') ?? '';
      const session = checkoutOfPayment.get(paymentIntent);
      return list('/v1/checkout/sessions', session ? [{ id: session, object: 'checkout.session', mode: 'payment', payment_intent: paymentIntent, payment_status: 'paid' }] : []);
    });
  });

  afterAll(() => {
    t.front.answers.clear();
  });

  /** A subscription license for `customer`, provisioned by its checkout. */
  async function subscriptionLicense(customer: string, price: string) {
    const subscription = `sub_${suffix()}`;
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price, periodEnd: future(30) })));
    await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `refunds-${suffix()}@example.com` })));
    return { subscription, id: (await licenseOf(subscription))! };
  }

  /** An invoice of `subscription`, known only to the Stripe API, paid (or not) by `paymentIntent`. */
  function invoiceOf(subscription: string, paymentIntent: string, status = 'paid') {
    const invoice = `in_${suffix()}`;
    invoicePayments.set(paymentIntent, [...(invoicePayments.get(paymentIntent) ?? []), { invoice, status }]);
    t.front.answers.set(`GET /v1/invoices/${invoice}`, () => ({ body: { id: invoice, object: 'invoice', parent: { type: 'subscription_details', subscription_details: { subscription } }, lines: { object: 'list', data: [] } } }));
    return paymentIntent;
  }

  it('revokes the license of the subscription whose invoice the refunded payment paid, among the customer\'s several; a chargeback by payment intent the same', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const kept = await subscriptionLicense(customer, basicPrice);
    const refunded = await subscriptionLicense(customer, basicPrice);

    const refund = stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: invoiceOf(refunded.subscription, `pi_${suffix()}`) }));
    expect((await post(refund)).status).toBe(200);
    await untilStatus(refunded.id, 'REVOKED');
    expect(await eventRow(refund.id)).toMatchObject({ status: 'PROCESSED', license_id: refunded.id });
    expect((await license(kept.id)).status).toBe('ACTIVE');

    // A dispute names its charge by id and carries the payment intent: the charge is not read.
    const paymentIntent = invoiceOf(kept.subscription, `pi_${suffix()}`);
    const charge = `ch_${suffix()}`;
    await post(stripeEvent('charge.dispute.created', { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge, payment_intent: paymentIntent }));
    await untilStatus(kept.id, 'REVOKED');
    expect(t.front.requests.filter((line) => line.startsWith(`GET /v1/charges/${charge}`))).toEqual([]);
  });

  it('revokes nothing for a payment that paid invoices of several subscriptions, or whose only invoice payment is not paid', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const first = await subscriptionLicense(customer, basicPrice);
    const second = await subscriptionLicense(customer, basicPrice);
    const both = invoiceOf(second.subscription, invoiceOf(first.subscription, `pi_${suffix()}`));

    const answer = await post(stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: both })));
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('several subscriptions') });

    const open = await post(stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: invoiceOf(first.subscription, `pi_${suffix()}`, 'open') })));
    expect(open.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('neither a subscription invoice nor a checkout') });
    expect([(await license(first.id)).status, (await license(second.id)).status]).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('revokes nothing for a refund that arrives before its one-time checkout, though the customer holds one subscription license', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const only = await subscriptionLicense(customer, basicPrice);
    const paymentIntent = `pi_${suffix()}`;
    checkoutOfPayment.set(paymentIntent, `cs_${suffix()}`);

    const answer = await post(stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent })));
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('one-time checkout') });
    expect((await license(only.id)).status).toBe('ACTIVE');
  });

  it('revokes nothing for a payment that paid neither an invoice nor a checkout (a charge made by hand)', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const only = await subscriptionLicense(customer, basicPrice);

    const answer = await post(stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: `pi_${suffix()}` })));
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('neither a subscription invoice nor a checkout') });
    expect((await license(only.id)).status).toBe('ACTIVE');
  });

  it('keeps an event the Stripe API refuses to serve (the key lacks a permission) FAILED for a replay, answered 200 rather than redelivered', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const target = await subscriptionLicense(customer, basicPrice);
    const paymentIntent = invoiceOf(target.subscription, `pi_${suffix()}`);
    refused.add(paymentIntent);

    const refund = stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent }));
    const answer = await post(refund);
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'STRIPE_API_REFUSED', error: expect.stringContaining('HTTP 403') });
    expect(answer.body.event.error).not.toContain('required permissions');
    expect((await license(target.id)).status).toBe('ACTIVE');

    // Once the key may list invoice payments, a replay applies it.
    refused.delete(paymentIntent);
    expect((await t.stack.request('POST', `/v1/stripe/events/${refund.id}/replay`)).body).toMatchObject({ status: 'PROCESSED', license_id: target.id });
    await untilStatus(target.id, 'REVOKED');
  });
});
