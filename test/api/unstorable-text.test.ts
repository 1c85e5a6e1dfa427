import { findUnstorableJson, isStorableText, jsonObject, text } from '../../lib/text.ts';
import { openApiDocument } from '../../api/openapi/document.ts';
import { client, createLicense, createPlan } from '../support/api-fixtures.ts';
import { useApiStack } from '../support/api-stack.ts';

const NUL = 'a\u0000b';
const HIGH = 'a\ud800b';
const LOW = 'a\udc00b';
const BAD = { NUL, 'a lone high surrogate': HIGH, 'a lone low surrogate': LOW };

describe('strings Postgres cannot store (NUL, lone surrogates)', () => {
  describe('the shared string schema', () => {
    it('refuses NUL and unpaired surrogates, and keeps every other string, emoji included', () => {
      for (const value of Object.values(BAD)) expect(isStorableText(value)).toBe(false);
      for (const value of ['', 'plain', 'Ada’s laptop', '\ud83d\ude00 grin', 'x\u0001y', '\uffff']) expect(isStorableText(value)).toBe(true);
      expect(isStorableText('\ud83d')).toBe(false);
      expect(isStorableText('\ude00\ud83d')).toBe(false);
      expect(text().safeParse(NUL).error?.issues[0]?.message).toMatch(/NUL/);
    });

    it('finds the first bad string or key anywhere in a JSON value, and refuses nesting past the limit', () => {
      expect(findUnstorableJson({ a: [{ b: 'ok' }, { c: NUL }] })).toEqual({ path: ['a', 1, 'c'], message: expect.stringMatching(/NUL/) });
      expect(findUnstorableJson({ a: { [HIGH]: 1 } })).toEqual({ path: ['a'], message: expect.stringMatching(/^a key/) });
      expect(findUnstorableJson({ a: [1, true, null, 'ok'] })).toBeUndefined();
      let deep: unknown = 'leaf';
      for (let i = 0; i < 100_000; i += 1) deep = [deep];
      expect(findUnstorableJson(deep)?.message).toMatch(/deeper than 32/);
      expect(jsonObject().safeParse({ note: LOW }).error?.issues[0]?.path).toEqual(['note']);
    });

    it('is described in the OpenAPI document: no NUL, and no blank value where a trimmed one is required', () => {
      const schemas = openApiDocument().components.schemas as Record<string, any>;
      const pattern = (value: unknown) => new RegExp(String(value), 'u');
      const key = pattern(schemas.ActivateRequest!.properties.key.pattern);
      expect(['abc', ' a '].map((value) => key.test(value))).toEqual([true, true]);
      expect(['', '   ', 'a\u0000b'].map((value) => key.test(value))).toEqual([false, false, false]);
      const nonce = pattern(schemas.ActivateRequest!.properties.nonce.pattern);
      expect([nonce.test(' '), nonce.test('a\u0000')]).toEqual([true, false]);
      // A pattern of its own (a code, a Stripe id) or a format already says more.
      expect(schemas.CreateProductRequest!.properties.code.pattern).toBe('^[a-z0-9][a-z0-9._-]*$');
    });
  });

  describe('over HTTP', () => {
    const api = useApiStack({ worker: false });
    const { logs } = api;

    /** 400 INVALID_REQUEST whose `errors` name the field. */
    function expectRefused(response: { status: number; headers: Headers; body: any }, field: string) {
      expect({ status: response.status, code: response.body?.code }).toEqual({ status: 400, code: 'INVALID_REQUEST' });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(/NUL|surrogate/) }]));
    }

    it('refuses them in every field of the client endpoints', async () => {
      const { key } = await createLicense(api.stack);
      const bodies: Record<string, Record<string, unknown>> = {
        '/v1/validate': { key, fingerprint: 'f', domain: 'example.com', user: 'u', nonce: 'n' },
        '/v1/activate': { key, fingerprint: 'f', name: 'n', hostname: 'h', platform: 'p', domain: 'example.com', user: 'u', nonce: 'n' },
        '/v1/deactivate': { key, fingerprint: 'f', nonce: 'n' },
        '/v1/heartbeat': { key, fingerprint: 'f', nonce: 'n' },
      };
      for (const [path, body] of Object.entries(bodies)) {
        for (const field of Object.keys(body)) {
          for (const value of Object.values(BAD)) expectRefused(await client(api.stack, path, { ...body, [field]: value }), field);
        }
      }
      expectRefused(await client(api.stack, '/v1/validate', { key, features: ['export', NUL] }), 'features.1');
    });

    it('refuses them in catalog names and metadata, at any depth and in keys', async () => {
      const plan = await createPlan(api.stack);
      const product = (await api.stack.request('POST', '/v1/products', { body: { code: 'nul-product', name: 'Fine' } })).body;
      expectRefused(await api.stack.request('POST', '/v1/products', { body: { code: 'p1', name: NUL } }), 'name');
      expectRefused(await api.stack.request('PATCH', `/v1/products/${product.id}`, { body: { metadata: { tags: ['ok', { deep: HIGH }] } } }), 'metadata.tags.1.deep');
      expectRefused(await api.stack.request('POST', '/v1/customers', { body: { email: 'nul@example.com', metadata: { [`k${NUL}`]: 1 } } }), 'metadata');
      expectRefused(await api.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { name: LOW } }), 'name');
      expectRefused(await api.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { features: { [NUL]: true } } }), 'features');
      expectRefused(await api.stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: 'x@example.com', name: NUL }, metadata: { note: LOW } } }), 'customer.name');
      expectRefused(await api.stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: 'x@example.com' }, metadata: { note: LOW } } }), 'metadata.note');
    });

    it('refuses them in query filters and path parameters', async () => {
      const email = await fetch(`${api.stack.baseUrl}/v1/customers?email=a%00@x.com`, { headers: { authorization: `Bearer ${api.stack.adminToken}` } });
      expectRefused({ status: email.status, headers: email.headers, body: await email.json() }, 'email');
      expectRefused(await api.stack.request('GET', '/v1/licenses?customer_email=a%00@x.com'), 'customer_email');
      expectRefused(await api.stack.request('GET', '/v1/licenses?plan=pro%00'), 'plan');
      expectRefused(await api.stack.request('GET', '/v1/stripe/events?type=invoice.paid%00'), 'type');
      expect((await api.stack.request('GET', '/v1/licenses/%00')).status).toBe(400);
    });

    it('stores every other string intact, emoji and all', async () => {
      const name = 'Ada’s \ud83d\ude80 studio';
      const created = await api.stack.request('POST', '/v1/products', { body: { code: 'emoji', name, metadata: { note: '\ud83d\ude00', nested: { list: ['é', 1] } } } });
      expect(created.status).toBe(201);
      const read = await api.stack.request('GET', `/v1/products/${created.body.id}`);
      expect(read.body).toMatchObject({ name, metadata: { note: '\ud83d\ude00', nested: { list: ['é', 1] } } });
    });

    it('logged no error: nothing reached Postgres', () => {
      expect(logs.atLeast('error')).toEqual([]);
    });
  });
});
