import { startApiStack, type ApiStack } from '../support/api-stack.ts';

describe('bad input and authentication', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  }

  it('rejects admin calls without a token, with a wrong token, and with a revoked token', async () => {
    const none = await stack.request('POST', '/v1/licenses', { body: { plan: 'pro' }, token: null });
    expectProblem(none, 401, 'UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(await stack.request('POST', '/v1/licenses', { body: { plan: 'pro' }, token: 'kwa_not-a-real-token-at-all' }), 401, 'UNAUTHORIZED');
  });

  it('rejects a license key used as an admin token', async () => {
    expectProblem(await stack.request('GET', '/v1/licenses/00000000-0000-4000-8000-000000000000', { token: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }), 401, 'UNAUTHORIZED');
  });

  it('lists every invalid field of a create request', async () => {
    const response = await stack.request('POST', '/v1/licenses', { body: { plan_id: 'pro', overrides: { seat_limit: 0 }, expires_at: 'tomorrow', surprise: 1 } });
    expectProblem(response, 400, 'INVALID_REQUEST');
    const fields = response.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['plan_id', 'overrides.seat_limit', 'expires_at']));
  });

  it('asks for exactly one of customer_id and customer, and the contract says so (oneOf)', async () => {
    const planId = '5d8f4a1e-8c1b-4b7a-9d55-0c3a7e2f6b11';
    const neither = await stack.request('POST', '/v1/licenses', { body: { plan_id: planId } });
    expectProblem(neither, 400, 'INVALID_REQUEST');
    expect(neither.body.errors.map((e: { field: string }) => e.field)).toEqual(['customer_id']);
    const both = await stack.request('POST', '/v1/licenses', { body: { plan_id: planId, customer_id: planId, customer: { email: 'a@example.com' } } });
    expectProblem(both, 400, 'INVALID_REQUEST');
    expect(both.body.detail).toMatch(/Unrecognized key/);
    const contract = (await stack.request('GET', '/openapi.json', { token: null })).body.components.schemas.CreateLicenseRequest;
    expect(contract.oneOf.map((shape: { required: string[] }) => shape.required)).toEqual([
      expect.arrayContaining(['plan_id', 'customer_id']),
      expect.arrayContaining(['plan_id', 'customer']),
    ]);
  });

  it('answers malformed JSON, wrong media types and oversized bodies with clear problems', async () => {
    expectProblem(await stack.request('POST', '/v1/validate', { body: '{"key":', token: null }), 400, 'INVALID_JSON');
    expectProblem(
      await stack.request('POST', '/v1/validate', { body: 'key=abc', token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(await stack.request('POST', '/v1/validate', { body: { key: 'x'.repeat(70_000) }, token: null }), 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await stack.request('POST', '/v1/validate', { body: {}, token: null }), 400, 'INVALID_REQUEST');
  });

  it('answers unknown routes and wrong methods as problems', async () => {
    expectProblem(await stack.request('GET', '/v1/nope'), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await stack.request('DELETE', '/v1/validate', { token: null }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('rejects a malformed license id', async () => {
    expectProblem(await stack.request('GET', '/v1/licenses/not-a-uuid'), 400, 'INVALID_REQUEST');
  });

  it('reports liveness always, and readiness per component', async () => {
    const live = await stack.request('GET', '/healthz', { token: null });
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await stack.request('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', components: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
  });
});
