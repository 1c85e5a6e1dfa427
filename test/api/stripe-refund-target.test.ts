import { chargeObject, checkoutObject, stripeEvent, subscriptionObject, future, suffix, useStripeStack } from '../support/stripe.ts';

/**
 * Charges of the pinned API version name no invoice: the license a refund or chargeback reverses
 * is found through the Stripe API (the invoice's payments, Checkout Sessions). stripe-mock's lists
 * ignore their filters, so the front answers those two lists as Stripe would for these payments.
 */
describe('a refund or chargeback reverses the license its payment paid for, found through the Stripe API', () => {
  const t = useStripeStack({ front: true });
  const { post, licenseOf, license, eventRow, catalog, untilStatus } = t;

  /** Invoice payments and Checkout Sessions, by payment intent, as the Stripe API lists them. */
  const invoiceOfPayment = new Map<string, string>();
  const checkoutOfPayment = new Map<string, string>();

  beforeAll(() => {
    const byPayment = (query: URLSearchParams) => query.get('payment[payment_intent]') ?? query.get('payment_intent') ?? '';
    t.front.answers.set('GET /v1/invoice_payments', (query) => {
      const paymentIntent = byPayment(query);
      const invoice = invoiceOfPayment.get(paymentIntent);
      const data = invoice ? [{ id: `inpay_${suffix()}`, object: 'invoice_payment', invoice, payment: { type: 'payment_intent', payment_intent: paymentIntent }, status: 'paid' }] : [];
      return { object: 'list', data, has_more: false, url: '/v1/invoice_payments' };
    });
    t.front.answers.set('GET /v1/checkout/sessions', (query) => {
      const paymentIntent = byPayment(query);
      const session = checkoutOfPayment.get(paymentIntent);
      const data = session ? [{ id: session, object: 'checkout.session', mode: 'payment', payment_intent: paymentIntent, payment_status: 'paid' }] : [];
      return { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' };
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

  /** An invoice of `subscription` paid by a new payment intent, known only to the Stripe API. */
  function paidInvoice(subscription: string) {
    const invoice = `in_${suffix()}`;
    const paymentIntent = `pi_${suffix()}`;
    invoiceOfPayment.set(paymentIntent, invoice);
    t.front.answers.set(`GET /v1/invoices/${invoice}`, () => ({ id: invoice, object: 'invoice', parent: { type: 'subscription_details', subscription_details: { subscription } }, lines: { object: 'list', data: [] } }));
    return paymentIntent;
  }

  it('revokes the license of the subscription whose invoice the refunded payment paid, among the customer\'s several', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const kept = await subscriptionLicense(customer, basicPrice);
    const refunded = await subscriptionLicense(customer, basicPrice);

    const refund = stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: paidInvoice(refunded.subscription) }));
    expect((await post(refund)).status).toBe(200);
    await untilStatus(refunded.id, 'REVOKED');
    expect(await eventRow(refund.id)).toMatchObject({ status: 'PROCESSED', license_id: refunded.id });
    expect((await license(kept.id)).status).toBe('ACTIVE');

    // A chargeback of the other subscription's payment reaches that one.
    const charge = chargeObject({ customer, paymentIntent: paidInvoice(kept.subscription) });
    await post(stripeEvent('charge.dispute.created', { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge, payment_intent: charge.payment_intent }));
    await untilStatus(kept.id, 'REVOKED');
  });

  it('revokes nothing for a refund that arrives before its one-time checkout, though the customer holds one subscription license', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const only = await subscriptionLicense(customer, basicPrice);
    const paymentIntent = `pi_${suffix()}`;
    checkoutOfPayment.set(paymentIntent, `cs_${suffix()}`);

    const refund = stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent }));
    const answer = await post(refund);
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('one-time checkout') });
    expect((await license(only.id)).status).toBe('ACTIVE');
  });

  it('revokes nothing for a payment that paid neither an invoice nor a checkout (a charge made by hand)', async () => {
    const { basicPrice } = await catalog();
    const customer = `cus_${suffix()}`;
    const only = await subscriptionLicense(customer, basicPrice);

    const refund = stripeEvent('charge.refunded', chargeObject({ customer, paymentIntent: `pi_${suffix()}` }));
    const answer = await post(refund);
    expect(answer.body.event).toMatchObject({ status: 'FAILED', error_code: 'LICENSE_NOT_IDENTIFIED', error: expect.stringContaining('neither a subscription invoice nor a checkout') });
    expect((await license(only.id)).status).toBe('ACTIVE');
  });
});
