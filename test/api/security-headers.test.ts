import { createLicense } from '../support/api-fixtures.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';

/** Security headers by route family: the client endpoints (hot path, CORS) and everything else (admin and service answers). */
describe('security headers', () => {
  let stack: ApiStack;
  let license: { id: string; key: string };

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
    license = await createLicense(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const call = (method: string, path: string, options: { body?: unknown; token?: boolean; headers?: Record<string, string> } = {}) =>
    rawRequest(stack.baseUrl + path, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${stack.adminToken}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });

  function expectAdminPolicy(response: RawResponse, what: string) {
    const csp = String(response.headers['content-security-policy']);
    expect([what, csp]).toEqual([what, expect.stringContaining("default-src 'none'")]);
    expect(csp).toContain("frame-ancestors 'none'");
    expect([what, response.headers['referrer-policy'], response.headers['x-content-type-options'], response.headers['cache-control']]).toEqual([what, 'no-referrer', 'nosniff', 'no-store']);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  }

  it('puts nosniff on every answer: client endpoints, problems, unknown paths, other methods, health, the contract', async () => {
    const answers: [string, RawResponse][] = [
      ['validate', await call('POST', '/v1/validate', { body: { key: license.key } })],
      ['validate refused', await call('POST', '/v1/validate', { body: {} })],
      ['activate', await call('POST', '/v1/activate', { body: { key: license.key, fingerprint: 'hdr' } })],
      ['heartbeat', await call('POST', '/v1/heartbeat', { body: { key: license.key, fingerprint: 'hdr' } })],
      ['deactivate', await call('POST', '/v1/deactivate', { body: { key: license.key, fingerprint: 'hdr' } })],
      ['jwks', await call('GET', '/.well-known/jwks.json')],
      ['wrong method on a client path', await call('GET', '/v1/validate')],
      ['unknown path', await call('GET', '/v1/nope')],
      ['TRACE', await call('TRACE', '/healthz')],
      ['OPTIONS', await call('OPTIONS', '/v1/licenses')],
      ['healthz', await call('GET', '/healthz')],
      ['openapi', await call('GET', '/openapi.json')],
      ['admin list', await call('GET', '/v1/licenses', { token: true })],
      ['unauthenticated', await call('GET', '/v1/licenses')],
    ];
    for (const [what, response] of answers) expect([what, response.headers['x-content-type-options']]).toEqual([what, 'nosniff']);
  });

  it('gives admin answers a CSP that allows nothing, frame-ancestors none, no referrer and no-store, problems included', async () => {
    expectAdminPolicy(await call('GET', '/v1/licenses', { token: true }), 'list');
    expectAdminPolicy(await call('GET', `/v1/licenses/${license.id}`, { token: true }), 'read');
    expectAdminPolicy(await call('GET', '/v1/licenses'), '401');
    expectAdminPolicy(await call('DELETE', '/v1/licenses', { token: true }), '405');
    expectAdminPolicy(await call('GET', '/v1/nope'), '404');
  });

  it('never lets an answer that carries a secret be stored: a new license’s key, an offline token, a license file', async () => {
    const plan = (await stack.request('GET', '/v1/plans')).body.data[0];
    const created = await call('POST', '/v1/licenses', { token: true, body: { plan_id: plan.id, customer: { email: 'secret@example.com' }, notify: false } });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^KW-/);
    expectAdminPolicy(created, 'license creation');
    const token = await call('POST', `/v1/licenses/${license.id}/offline-tokens`, { token: true, body: {} });
    expect(token.status).toBe(201);
    expectAdminPolicy(token, 'offline token');
    const file = await call('POST', `/v1/licenses/${license.id}/offline-tokens?format=file`, { token: true, body: {} });
    expect(file.status).toBe(201);
    expectAdminPolicy(file, 'license file');
  });

  it('keeps the client endpoints’ answers free of the admin policy, and the JWKS cacheable', async () => {
    const validate = await call('POST', '/v1/validate', { body: { key: license.key } });
    expect(validate.headers['content-security-policy']).toBeUndefined();
    expect(validate.headers['cache-control']).toBeUndefined();
    expect((await call('GET', '/.well-known/jwks.json')).headers['cache-control']).toBe('public, max-age=300');
  });
});
