import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense, createPlan } from '../support/api-fixtures.ts';

describe('products, plans and customers (admin CRUD)', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ worker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates, reads, updates and deletes a product, refusing duplicate codes', async () => {
    const created = await stack.request('POST', '/v1/products', { body: { code: 'acme-cli', name: 'Acme CLI' } });
    expect(created).toMatchObject({ status: 201, body: { code: 'acme-cli', name: 'Acme CLI' } });
    const duplicate = await stack.request('POST', '/v1/products', { body: { code: 'acme-cli', name: 'Again' } });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'PRODUCT_CODE_TAKEN' } });
    const renamed = await stack.request('PATCH', `/v1/products/${created.body.id}`, { body: { name: 'Acme Command Line' } });
    expect(renamed.body.name).toBe('Acme Command Line');
    expect((await stack.request('GET', `/v1/products/${created.body.id}`)).body.name).toBe('Acme Command Line');
    expect((await stack.request('DELETE', `/v1/products/${created.body.id}`)).status).toBe(204);
    expect((await stack.request('GET', `/v1/products/${created.body.id}`)).body.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('gives a plan the default policy and validates the term it is given', async () => {
    const product = await stack.request('POST', '/v1/products', { body: { code: 'acme-web', name: 'Acme Web' } });
    const plan = await stack.request('POST', '/v1/plans', { body: { product_id: product.body.id, code: 'annual', name: 'Annual', tier: 'standard', term_kind: 'DURATION', term_days: 365 } });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({
      seat_model: 'DEVICE', seat_limit: null, reminder_offsets_days: [90, 30, 14, 7, 0], cache_ttl_seconds: 86400,
      trial_cache_ttl_seconds: 3600, payment_grace_days: 7, term_kind: 'DURATION', term_days: 365, stripe_price_ids: [],
    });
    const noTerm = await stack.request('POST', '/v1/plans', { body: { product_id: product.body.id, code: 'broken', name: 'Broken', tier: 'x', term_kind: 'DURATION' } });
    expect(noTerm).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    expect(noTerm.body.detail).toContain('term_days');
    const badPrice = await stack.request('PATCH', `/v1/plans/${plan.body.id}`, { body: { stripe_price_ids: ['not-a-price'] } });
    expect(badPrice.status).toBe(400);
    const priced = await stack.request('PATCH', `/v1/plans/${plan.body.id}`, { body: { stripe_price_ids: ['price_123'], seat_limit: 25 } });
    expect(priced.body).toMatchObject({ stripe_price_ids: ['price_123'], seat_limit: 25, term_days: 365 });
    expect((await stack.request('DELETE', `/v1/products/${product.body.id}`)).body.code).toBe('PRODUCT_IN_USE');
  });

  it('computes a license’s expiry from its plan’s term, and applies per-license overrides', async () => {
    const plan = await createPlan(stack, { term_kind: 'DURATION', term_days: 30, seat_limit: 3, features: { export: true, projects: 5 } });
    const before = Date.now();
    const created = await stack.request('POST', '/v1/licenses', {
      body: { plan_id: plan.id, customer: { email: 'override@example.com' }, overrides: { seat_limit: 50, features: { export: true, projects: 100 } } },
    });
    expect(created.status).toBe(201);
    const expires = Date.parse(created.body.expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 1000);
    expect(created.body).toMatchObject({ seat_limit: 50, features: { export: true, projects: 100 }, overrides: { seat_limit: 50 } });
    expect((await stack.request('DELETE', `/v1/plans/${plan.id}`)).body.code).toBe('PLAN_IN_USE');
  });

  it('starts a trial with a trial key and the plan’s trial length', async () => {
    const plan = await createPlan(stack, { trial_days: 14, term_kind: 'DURATION', term_days: 365 });
    const trial = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: 'trial@example.com' }, trial: true } });
    expect(trial.status).toBe(201);
    expect(trial.body.key).toMatch(/^KWT-/);
    expect(trial.body).toMatchObject({ status: 'TRIALING', expires_at: null });
    expect(Date.parse(trial.body.trial_ends_at)).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    const validation = await stack.request('POST', '/v1/validate', { body: { key: trial.body.key }, token: null });
    expect(validation.body).toMatchObject({ valid: true, code: 'VALID', cache_ttl: 3600 });
  });

  it('finds customers by email and refuses to delete one who holds licenses', async () => {
    const customer = await stack.request('POST', '/v1/customers', { body: { email: 'Finance@Example.com', name: 'Finance', stripe_customer_id: 'cus_123' } });
    expect(customer).toMatchObject({ status: 201, body: { email: 'finance@example.com', stripe_customer_id: 'cus_123' } });
    expect((await stack.request('POST', '/v1/customers', { body: { email: 'finance@example.com' } })).body.code).toBe('CUSTOMER_CONFLICT');
    const found = await stack.request('GET', '/v1/customers?email=FINANCE@example.com');
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([customer.body.id]);
    const plan = await createPlan(stack);
    await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer_id: customer.body.id } });
    expect((await stack.request('DELETE', `/v1/customers/${customer.body.id}`)).body.code).toBe('CUSTOMER_IN_USE');
  });

  it('lists and searches licenses by customer email, status, plan and key hint, page by page', async () => {
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await createLicense(stack, {}, { customer: { email: 'bulk@example.com' } }));
    await stack.request('POST', `/v1/licenses/${made[0]!.id}/revoke`, { body: { reason: 'test' } });

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await stack.request(
        'GET',
        `/v1/licenses?customer_email=bulk@example.com&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...page.body.data.map((l) => l.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(pages.sort()).toEqual(made.map((m) => m.id).sort());

    const revoked = await stack.request('GET', '/v1/licenses?customer_email=bulk@example.com&status=REVOKED');
    expect(revoked.body.data.map((l: { id: string }) => l.id)).toEqual([made[0]!.id]);
    const byPlan = await stack.request('GET', `/v1/licenses?plan_id=${made[1]!.plan.id}`);
    expect(byPlan.body.data.map((l: { id: string }) => l.id)).toEqual([made[1]!.id]);
    const hint = made[2]!.key.slice(-4);
    const byHint = await stack.request('GET', `/v1/licenses?key_hint=${hint}`);
    expect(byHint.body.data.map((l: { id: string }) => l.id)).toContain(made[2]!.id);
    const byKey = await stack.request('GET', `/v1/licenses?key=${encodeURIComponent(made[3]!.key)}`);
    expect(byKey.body.data.map((l: { id: string }) => l.id)).toEqual([made[3]!.id]);
    expect((await stack.request('GET', '/v1/licenses?cursor=garbage')).body.code).toBe('INVALID_REQUEST');
  });
});
