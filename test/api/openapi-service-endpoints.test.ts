import type { RunningStripeMock } from '../../lib/stripe-mock.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { postEvent, startTestStripeMock, stripeEvent, testStripeServices } from '../support/stripe.ts';

describe('the service endpoints answer as the OpenAPI document says: probes, metrics, Stripe', () => {
  const contract = openApiContract();
  const { call, conforms } = contract;
  let stack: ApiStack;
  let stripeMock: RunningStripeMock;
  let stripe: StripeServices;

  beforeAll(async () => {
    stripeMock = await startTestStripeMock();
    stripe = testStripeServices(stripeMock);
    ({ stack } = await contract.start({ stripe }));
  });
  afterAll(async () => {
    await contract.close();
    await stripeMock?.stop();
  });

  it('describes the health probes', async () => {
    expect((await call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await call('GET', '/readyz', { token: null })).body.status).toBe('ready');
  });

  it('describes the Stripe webhook, the stored events and their replay', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_OpenApi1', object: 'customer', email: 'stripe@example.com' });
    const signed = conforms('POST', '/v1/webhooks/stripe', await postEvent(stack, stripe.client, event), event);
    expect(signed.body).toMatchObject({ received: true, duplicate: false, event: { id: event.id, status: 'IGNORED' } });
    expect(conforms('POST', '/v1/webhooks/stripe', await postEvent(stack, stripe.client, event)).body.duplicate).toBe(true);
    const forged = conforms('POST', '/v1/webhooks/stripe', await postEvent(stack, stripe.client, event, { secret: 'whsec_not_ours' }));
    expect(forged.body.code).toBe('STRIPE_SIGNATURE_INVALID');

    const listed = await call('GET', '/v1/stripe/events', { query: 'status=IGNORED&type=customer.created&limit=1' });
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([event.id]);
    expect((await call('GET', '/v1/stripe/events', { query: 'status=LOST' })).status).toBe(400);
    const replayed = await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: event.id }, body: { reason: 'Checking the customer mapping' } });
    expect(replayed.body).toMatchObject({ id: event.id, status: 'IGNORED' });
    const trail = await call('GET', '/v1/audit-events', { query: `target_type=stripe_event&target_id=${event.id}` });
    expect(trail.body.data).toEqual([
      expect.objectContaining({ action: 'stripe_event.replayed', reason: 'Checking the customer mapping', before: expect.objectContaining({ status: 'IGNORED', type: 'customer.created' }), after: { status: 'IGNORED', error_code: null } }),
    ]);
    // Without a body: a replay with no reason, audited all the same.
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: event.id } })).body).toMatchObject({ id: event.id, status: 'IGNORED' });
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: event.id }, body: { reason: '' } })).status).toBe(400);
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: 'evt_unknown' } })).body.code).toBe('STRIPE_EVENT_NOT_FOUND');
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: 'not-an-event' } })).body.code).toBe('INVALID_REQUEST');
  });

  it('describes the Prometheus metrics: text exposition, behind a licenses:read token', async () => {
    const metrics = await call('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body).toMatch(/^keywarden_validations_total\{code="VALID"\} \d+$/m);
    expect((await call('GET', '/metrics', { token: null })).body.code).toBe('UNAUTHORIZED');
  });

  it('has exercised every operation it answers for with a success', () => {
    expect(contract.unexercised('openapi-service-endpoints')).toEqual([]);
  });
});
