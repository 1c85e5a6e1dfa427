import { randomBytes, randomUUID } from 'node:crypto';
import { generateApiToken } from '../../api/auth/api-token.service.ts';
import type { OpenApiDocument } from '../../api/openapi/document.ts';
import { ApiToken } from '../../schema/auth/api-token.entity.ts';
import { createPlan } from '../support/api-fixtures.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract, type Method } from '../support/openapi-contract.ts';

describe('the API refuses as its OpenAPI document says: scopes, problems, forbidden request bodies', () => {
  const contract = openApiContract();
  const { call, conforms, isProblem, operationOf, accepts } = contract;
  let stack: ApiStack;
  let doc: OpenApiDocument;
  // Existing resources: updates look the resource up before they read the body.
  const state: Record<string, string> = {};
  const email = `ada-${randomBytes(4).toString('hex')}@example.com`;

  beforeAll(async () => {
    ({ stack, doc } = await contract.start());
    const plan = await createPlan(stack);
    const customer = await stack.request('POST', '/v1/customers', { body: { email } });
    const trial = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer_id: customer.body.id, trial_ends_at: '2098-01-01T00:00:00Z' } });
    if (customer.status !== 201 || trial.status !== 201) throw new Error(`setup failed: ${JSON.stringify([customer.body, trial.body])}`);
    Object.assign(state, { productId: plan.product_id, planId: plan.id, customerId: customer.body.id, trialId: trial.body.id });
  });
  afterAll(async () => {
    await contract.close();
  });

  it('enforces the scope each admin operation declares, and answers problems as documented', async () => {
    const readToken = generateApiToken();
    const em = stack.db.orm.em.fork();
    em.create(ApiToken, { id: randomUUID(), name: 'reader', tokenHash: stack.secret.lookupHash(readToken), scopes: ['licenses:read'] });
    await em.flush();
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const scope = operation.security[0]?.bearer?.[0];
        if (!scope) continue;
        const params = { id: randomUUID(), activationId: randomUUID() };
        const anonymous = await call(method.toUpperCase() as Method, template, { params, token: null });
        expect([method, template, anonymous.body.code]).toEqual([method, template, 'UNAUTHORIZED']);
        const reader = await call(method.toUpperCase() as Method, template, { params, token: readToken });
        expect([method, template, scope, reader.status === 403]).toEqual([method, template, scope, scope !== 'licenses:read']);
      }
    }
    expect((await call('GET', '/v1/licenses', { token: 'kwa_not-a-real-token-at-all' })).status).toBe(401);

    const invalid = await call('POST', '/v1/licenses', { body: { plan_id: 'pro', overrides: { seat_limit: 0 }, surprise: 1 } });
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['plan_id', 'overrides.seat_limit', '(body)']));
    expect((await call('POST', '/v1/validate', { body: '{"key":', token: null })).body.code).toBe('INVALID_JSON');
    expect((await call('POST', '/v1/products', { body: 'x'.repeat(70_000) })).status).toBe(413);
    const form = await stack.request('POST', '/v1/activate', { body: 'key=abc', token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(conforms('POST', '/v1/activate', form).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    isProblem(await stack.request('GET', '/v1/nope'), 404, 'ROUTE_NOT_FOUND');
    isProblem(await stack.request('DELETE', '/v1/validate', { token: null }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('rejects, like the API, request bodies the document forbids', async () => {
    // [path, method, existing id (updates look the resource up before reading the body), body]
    const rejected: [string, string, string, Record<string, unknown>][] = [
      ['/v1/validate', 'post', '', { key: 'KW-AAAA', surprise: true }],
      ['/v1/activate', 'post', '', { key: 'KW-AAAA' }],
      ['/v1/products', 'post', '', { code: 'Not A Code', name: 'x' }],
      ['/v1/products/{id}', 'patch', state.productId!, { code: 'renamed' }],
      ['/v1/plans', 'post', '', { product_id: state.productId, code: 'p', name: 'P', tier: 't', stripe_price_ids: ['prod_1'] }],
      ['/v1/plans/{id}', 'patch', state.planId!, { product_id: state.productId }],
      ['/v1/customers', 'post', '', { email: 'not-an-email' }],
      ['/v1/customers/{id}', 'patch', state.customerId!, { stripe_customer_id: 'acct_1' }],
      ['/v1/licenses', 'post', '', { plan_id: state.planId, customer: { email }, customer_id: state.customerId, trial: 'yes' }],
      ['/v1/licenses/{id}/revoke', 'post', state.trialId!, { reason: 'x'.repeat(1001) }],
      ['/v1/licenses/{id}/activations/{activationId}/deactivate', 'post', state.trialId!, { reason: '', note: 'x' }],
      ['/v1/licenses/{id}/offline-tokens', 'post', state.trialId!, { ttl_days: 0, machine: 'x' }],
    ];
    for (const [template, method, id, body] of rejected) {
      expect([template, accepts(template, method, body)]).toEqual([template, false]);
      const token = operationOf(method, template).security.length ? undefined : null;
      const response = await call(method.toUpperCase() as Method, template, { params: { id, activationId: randomUUID() }, body, token });
      expect([template, response.status, response.body.code]).toEqual([template, 400, 'INVALID_REQUEST']);
    }
  });
});
