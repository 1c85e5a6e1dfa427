import { messageWorkflowId } from '../../workflows/message-delivery.workflow.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { checkoutObject, future, oneTimeCheckoutObject, stripeEvent, subscriptionObject, suffix, useStripeStack } from '../support/stripe.ts';

/**
 * A license bought through Stripe has its key emailed as soon as its row commits, as a license
 * created through the API does. No outbox sweep runs in this stack (the worker process runs it,
 * these tests run the worker alone), so only the delivery started after the commit can send it.
 */
describe('the key of a license bought through Stripe is emailed right after the checkout', () => {
  const t = useStripeStack({ front: true, providers: true });
  const { post, sql, until } = t;

  afterAll(() => {
    t.front.answers.clear();
  });

  const keyEmailTo = (email: string) => until(`the key email to ${email}`, async () => t.cio.emails.find((sent) => sent.to === email));
  const issuedMessage = (licenseId: string) => until(`the license_issued message of ${licenseId} to be SENT`, async () => {
    const [row] = await sql<{ id: string; status: string; attempts: number }>(`select id, status, attempts from outbox_message where license_id = ? and event = 'license_issued'`, [licenseId]);
    return row?.status === 'SENT' ? row : undefined;
  });
  /** The key email's delivery runs ahead of the task queue's backlog (Temporal task priority 1). */
  const deliveryPriority = async (outboxId: string) => (await t.stack.temporal.workflow.getHandle(messageWorkflowId(outboxId)).describe()).raw.workflowExecutionInfo?.priority?.priorityKey;

  /** The key in an email opens the license it was issued with, and no other. */
  async function expectKeyOpens(key: string, licenseId: string) {
    const answer = await t.stack.request('POST', '/v1/validate', { body: { key }, token: null });
    expect(answer.body).toMatchObject({ valid: true, code: 'VALID', license: { id: licenseId } });
  }

  it('a subscription checkout: the key email reaches Customer.io once, with the key the license validates with', async () => {
    const { basic, basicPrice } = await t.catalog();
    const [subscription, customer, email] = [`sub_${suffix()}`, `cus_${suffix()}`, `subscriber-${suffix()}@example.com`];
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, quantity: 3, periodEnd: future(30) })));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email }));
    const answer = await post(checkout);
    expect(answer.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    const licenseId = answer.body.event.license_id as string;

    const sent = await keyEmailTo(email);
    expect(sent).toMatchObject({
      transactional_message_id: '7',
      disable_message_retention: true,
      message_data: expect.objectContaining({ license_id: licenseId, stripe_subscription_id: subscription, plan: expect.objectContaining({ code: basic.code, seats: 3 }) }),
    });
    await expectKeyOpens(sent.message_data.license_key, licenseId);
    const message = await issuedMessage(licenseId);
    expect(await deliveryPriority(message.id)).toBe(1);

    // Stripe delivers the checkout again, and staff replay it: the same license, no second email.
    expect((await post(checkout)).body).toMatchObject({ duplicate: true });
    expect((await t.stack.request('POST', `/v1/stripe/events/${checkout.id}/replay`)).body).toMatchObject({ status: 'PROCESSED', license_id: licenseId });
    expect(t.cio.emails.filter((e) => e.to === email)).toHaveLength(1);
  });

  it('a one-time checkout: the key email reaches Customer.io once, with the key the license validates with', async () => {
    const price = `price_Desktop${suffix()}`;
    const plan = await createPlan(t.stack, { stripe_price_ids: [price], term_kind: 'PERPETUAL' });
    const email = `desktop-${suffix()}@example.com`;
    const session = oneTimeCheckoutObject({ customer: `cus_${suffix()}`, email });
    t.front.answers.set(`GET /v1/checkout/sessions/${session.id}/line_items`, () => ({
      body: { object: 'list', has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items`, data: [{ id: `li_${suffix()}`, object: 'item', quantity: 1, price: { id: price, object: 'price', unit_amount: 9900, currency: 'usd' } }] },
    }));
    const answer = await post(stripeEvent('checkout.session.completed', session));
    expect(answer.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    const licenseId = answer.body.event.license_id as string;

    const sent = await keyEmailTo(email);
    expect(sent.message_data).toMatchObject({ license_id: licenseId, stripe_checkout_session_id: session.id, plan: expect.objectContaining({ code: plan.code }) });
    await expectKeyOpens(sent.message_data.license_key, licenseId);
    expect(await issuedMessage(licenseId)).toMatchObject({ status: 'SENT' });
    expect(t.cio.emails.filter((e) => e.to === email)).toHaveLength(1);
  });
});
