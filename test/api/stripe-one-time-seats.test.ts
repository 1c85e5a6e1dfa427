import { createPlan } from '../support/api-fixtures.ts';
import { oneTimeCheckoutObject, stripeEvent, suffix, useStripeStack } from '../support/stripe.ts';

/**
 * A one-time checkout's seats come from its line item's quantity. stripe-mock's line items are
 * fixed at one of its own price, so the front answers the session's line items as Stripe would.
 */
describe('a one-time checkout of several seats issues one license with that many seats', () => {
  const t = useStripeStack({ front: true });
  const { post, sql, license } = t;

  afterAll(() => {
    t.front.answers.clear();
  });

  /** The session's line items, as `GET /v1/checkout/sessions/{id}/line_items` lists them. */
  function sells(sessionId: string, items: Array<{ price: string; quantity: number }>) {
    t.front.answers.set(`GET /v1/checkout/sessions/${sessionId}/line_items`, () => ({
      body: {
        object: 'list',
        has_more: false,
        url: `/v1/checkout/sessions/${sessionId}/line_items`,
        data: items.map(({ price, quantity }) => ({ id: `li_${suffix()}`, object: 'item', quantity, price: { id: price, object: 'price', unit_amount: 4900, currency: 'usd' } })),
      },
    }));
  }

  it('takes the seats from the quantity of the line item whose price the plan sells, and ignores items no plan sells', async () => {
    const price = `price_Team${suffix()}`;
    const plan = await createPlan(t.stack, { stripe_price_ids: [price], term_kind: 'DURATION', term_days: 365, seat_model: 'DEVICE' });
    const email = `team-${suffix()}@example.com`;
    const session = oneTimeCheckoutObject({ customer: `cus_${suffix()}`, email });
    // An add-on no plan sells (support hours) comes first; the plan's price, for five seats, second.
    sells(session.id, [
      { price: `price_Support${suffix()}`, quantity: 3 },
      { price, quantity: 5 },
    ]);

    const answer = await post(stripeEvent('checkout.session.completed', session));
    expect(answer.body.event).toMatchObject({ status: 'PROCESSED', license_id: expect.any(String) });
    const id = answer.body.event.license_id as string;
    expect(await license(id)).toMatchObject({ status: 'ACTIVE', plan: plan.code, seat_limit: 5, customer_email: email });
    expect(t.front.requests).toContainEqual(expect.stringMatching(new RegExp(`^GET /v1/checkout/sessions/${session.id}/line_items`)));
    const [issued] = await sql<{ payload: { seat_limit: number } }>(`select payload from outbox_message where license_id = ? and event = 'license_issued'`, [id]);
    expect(issued!.payload.seat_limit).toBe(5);
  });
});
