import { captureLogs } from '../support/log-capture.ts';
import { invoiceObject, stripeEvent, subscriptionObject, future, suffix, useStripeStack, WEBHOOK_SECRET } from '../support/stripe.ts';

/**
 * A signed event is Stripe's word, but not necessarily well formed (a bug in a proxy, a forged
 * event under a leaked secret, a Stripe API version with other shapes): its envelope is checked
 * after the signature, before anything is stored.
 */
describe('signed Stripe events with a malformed envelope', () => {
  const logs = captureLogs();
  const t = useStripeStack({ app: { logger: logs.logger } });
  const refusals = () => logs.records.filter((record) => record.msg.includes('envelope is malformed'));

  /** Posts `payload` (any text) signed with the endpoint's secret, as Stripe would sign it. */
  async function postSigned(payload: string) {
    const signature = t.stripe.client.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    return t.stack.request('POST', '/v1/webhooks/stripe', { body: payload, token: null, headers: { 'stripe-signature': signature } });
  }

  const valid = () => stripeEvent('invoice.paid', invoiceObject({ subscription: `sub_${suffix()}`, customer: 'cus_x', periodEnd: future(30), price: 'price_x' }));
  const cases: [string, (event: Record<string, any>) => unknown, string][] = [
    ['no id', ({ id: _id, ...rest }) => rest, 'id'],
    ['a numeric id', (event) => ({ ...event, id: 12345 }), 'id'],
    ['a 10,000-character id', (event) => ({ ...event, id: `evt_${'a'.repeat(9_996)}` }), 'id'],
    ['no type', ({ type: _type, ...rest }) => rest, 'type'],
    ['a numeric type', (event) => ({ ...event, type: 7 }), 'type'],
    ['a data array', (event) => ({ ...event, data: [event.data] }), 'data'],
    ['data.object null', (event) => ({ ...event, data: { object: null } }), 'data.object'],
    ['data.object an array', (event) => ({ ...event, data: { object: [] } }), 'data.object'],
    ['created "yesterday"', (event) => ({ ...event, created: 'yesterday' }), 'created'],
    ['created 1e300', (event) => ({ ...event, created: 1e300 }), 'created'],
    ['created a fraction', (event) => ({ ...event, created: 1.5 }), 'created'],
    ['a top-level array', (event) => [event], '(event)'],
    ['a NUL in a nested string', (event) => ({ ...event, data: { object: { ...event.data.object, description: 'a\u0000b' } } }), 'data.object.description'],
    ['a lone surrogate in a nested key', (event) => ({ ...event, data: { object: { ...event.data.object, metadata: { ['k\ud800']: 'v' } } } }), 'data.object.metadata'],
    ['a 10,000-character subscription id', (event) => ({ ...event, data: { object: { ...event.data.object, subscription: `sub_${'b'.repeat(9_996)}` } } }), 'data.object'],
  ];

  it.each(cases)('answers %s with 400 STRIPE_EVENT_INVALID naming the field, logs it once, and stores nothing', async (_name, malform, field) => {
    const event = valid();
    const before = refusals().length;
    const response = await postSigned(JSON.stringify(malform(event)));
    expect({ status: response.status, code: response.body?.code }).toEqual({ status: 400, code: 'STRIPE_EVENT_INVALID' });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(refusals().length - before).toBe(1);
    expect(await t.sql('select count(*)::int as n from stripe_event')).toEqual([{ n: 0 }]);
  });

  it('still takes a well-formed event, and logged no error for the malformed ones', async () => {
    const event = stripeEvent('customer.subscription.created', subscriptionObject(`sub_${suffix()}`, { customer: 'cus_x', price: 'price_x', periodEnd: future(30) }));
    const response = await postSigned(JSON.stringify(event));
    expect(response.status).toBe(200);
    expect((await t.sql('select id from stripe_event')).map((row) => row.id)).toEqual([event.id]);
    expect(logs.atLeast('error')).toEqual([]);
  });
});
