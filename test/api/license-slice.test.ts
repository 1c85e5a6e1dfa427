import { License } from '../../schema/entities.ts';
import { stateQuery } from '../../workflows/messages.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { eventually } from '../support/poll.ts';

describe('the first vertical slice: create, validate, revoke', () => {
  let stack: ApiStack;

  let planId: string;

  beforeAll(async () => {
    stack = await startApiStack();
    const product = await stack.request('POST', '/v1/products', { body: { code: 'acme-desktop', name: 'Acme Desktop' } });
    const plan = await stack.request('POST', '/v1/plans', {
      body: { product_id: product.body.id, code: 'pro', name: 'Pro', tier: 'pro', features: { export: true, projects: 10 }, seat_limit: 10 },
    });
    planId = plan.body.id;
    newLicense.plan_id = planId;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const newLicense: Record<string, unknown> = {
    plan_id: '',
    customer: { email: 'Ada@Example.com', name: 'Ada Lovelace' },
    expires_at: '2099-01-01T00:00:00Z',
  };

  it('creates a license row and its running workflow, shows the key once, and validates it', async () => {
    const created = await stack.request('POST', '/v1/licenses', { body: newLicense });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/licenses/${created.body.id}`);
    expect(created.body).toMatchObject({ status: 'ACTIVE', plan: 'pro', product: 'acme-desktop', customer_email: 'ada@example.com', seat_limit: 10, version: 1 });
    expect(created.body.key).toMatch(/^KW(-[0-9A-Z]{4}){6}$/);

    const handle = stack.temporal.workflow.getHandle(`license-${created.body.id}`);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(stack.taskQueue);
    expect(await handle.query(stateQuery)).toMatchObject({ licenseId: created.body.id, status: 'ACTIVE', customerEmail: 'ada@example.com' });

    const row = await stack.db.orm.em.fork().findOneOrFail(License, { id: created.body.id });
    expect(row.keyHash).toBe(stack.secret.lookupHash(created.body.key));
    expect(JSON.stringify(row)).not.toContain(created.body.key);

    const validation = await stack.request('POST', '/v1/validate', { body: { key: created.body.key }, token: null });
    expect(validation.status).toBe(200);
    expect(validation.body).toEqual({
      valid: true,
      code: 'VALID',
      detail: 'License valid until 2099-01-01.',
      license: {
        id: created.body.id,
        status: 'ACTIVE',
        plan: 'pro',
        product: 'acme-desktop',
        tier: 'pro',
        features: { export: true, projects: 10 },
        seat_model: 'DEVICE',
        seat_limit: 10,
        current_activations: 0,
        expires_at: '2099-01-01T00:00:00.000Z',
        trial_ends_at: null,
      },
      cache_ttl: 86400,
      ts: expect.any(String),
    });
  });

  it('answers NOT_FOUND for an unknown key', async () => {
    const validation = await stack.request('POST', '/v1/validate', { body: { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }, token: null });
    expect(validation.status).toBe(200);
    expect(validation.body).toMatchObject({ valid: false, code: 'NOT_FOUND', license: null });
  });

  it('accepts a key as a person retypes it (lower case, look-alike letters)', async () => {
    const created = await stack.request('POST', '/v1/licenses', { body: newLicense });
    const retyped = (created.body.key as string).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    const validation = await stack.request('POST', '/v1/validate', { body: { key: ` ${retyped} ` }, token: null });
    expect(validation.body.code).toBe('VALID');
  });

  it('revokes through the workflow so that the very next validation says REVOKED', async () => {
    const created = await stack.request('POST', '/v1/licenses', { body: newLicense });
    const revoked = await stack.request('POST', `/v1/licenses/${created.body.id}/revoke`, { body: { reason: 'chargeback' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'REVOKED', status_reason: 'chargeback', version: 2 });
    expect(revoked.body.audit_events.map((e: { action: string }) => e.action)).toEqual(['license.revoked', 'license.created']);
    expect(revoked.body.audit_events[0]).toMatchObject({ actor: expect.stringMatching(/^token:/), actor_label: 'bootstrap-admin', reason: 'chargeback' });

    const validation = await stack.request('POST', '/v1/validate', { body: { key: created.body.key }, token: null });
    expect(validation.body).toMatchObject({ valid: false, code: 'REVOKED' });

    const handle = stack.temporal.workflow.getHandle(`license-${created.body.id}`);
    await expect(handle.result()).resolves.toMatchObject({ status: 'REVOKED' });
    const again = await stack.request('POST', `/v1/licenses/${created.body.id}/revoke`, { body: { reason: 'twice' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('LICENSE_ALREADY_REVOKED');
  });

  it('never writes the raw key into workflow history or search attributes', async () => {
    const created = await stack.request('POST', '/v1/licenses', { body: newLicense });
    await stack.request('POST', `/v1/licenses/${created.body.id}/revoke`, { body: { reason: 'fraud' } });
    const handle = stack.temporal.workflow.getHandle(`license-${created.body.id}`);
    const history = await handle.fetchHistory();
    const everything = JSON.stringify(history) + JSON.stringify((await handle.describe()).raw);
    const body = (created.body.key as string).split('-').slice(1).join('-');
    expect(everything).toContain(created.body.id);
    expect(everything).not.toContain(body);
    expect(everything).not.toContain(stack.secret.lookupHash(created.body.key));
  });

  it('searches licenses in Temporal by customer email and status', async () => {
    const email = `grace-${Date.now()}@example.com`;
    const created = await stack.request('POST', '/v1/licenses', { body: { ...newLicense, customer: { email } } });
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of stack.temporal.workflow.list({ query: `CustomerEmail = "${email}" AND LicenseStatus = "ACTIVE"` })) ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    }, { what: 'the visibility store to index the new workflow' });
    expect(found).toEqual([`license-${created.body.id}`]);
  });

  it('gets one license with its audit history', async () => {
    const created = await stack.request('POST', '/v1/licenses', { body: newLicense });
    const fetched = await stack.request('GET', `/v1/licenses/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: created.body.id, key_hint: expect.stringMatching(/^KW-…-/) });
    expect(fetched.body.key).toBeUndefined();
    expect(fetched.body.audit_events).toHaveLength(1);
    expect(fetched.body.activations).toEqual([]);
    const missing = await stack.request('GET', '/v1/licenses/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('LICENSE_NOT_FOUND');
  });
});
