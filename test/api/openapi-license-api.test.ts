import { randomUUID } from 'node:crypto';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';

describe('the license API answers as its OpenAPI document says: catalog, licenses, clients, lifecycle, offline tokens, outbox', () => {
  const contract = openApiContract();
  const { call, conforms } = contract;
  let stack: ApiStack;

  beforeAll(async () => {
    ({ stack } = await contract.start());
  });
  afterAll(async () => {
    await contract.close();
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

    const terms = { overrides: { seat_limit: 4 }, metadata: { renewal_value: 990 }, reason: 'custom deal' };
    expect((await call('PATCH', '/v1/licenses/{id}', { params, body: { ...terms, dry_run: true } })).body).toMatchObject({ dry_run: true, lifecycle_changed: false });
    expect((await call('PATCH', '/v1/licenses/{id}', { params, body: terms })).body).toMatchObject({ seat_limit: 4, metadata: { renewal_value: 990 } });
    expect((await call('PATCH', '/v1/licenses/{id}', { params, body: { reason: 'nothing' } })).body.code).toBe('INVALID_REQUEST');
    expect((await call('PATCH', '/v1/licenses/{id}', { params: { id: randomUUID() }, body: terms })).body.code).toBe('LICENSE_NOT_FOUND');

    expect((await call('POST', '/v1/licenses/{id}/revoke', { params, body: {} })).body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const revoked = await call('POST', '/v1/licenses/{id}/revoke', { params, body: { reason: 'chargeback' } });
    expect(revoked.body).toMatchObject({ status: 'REVOKED', status_reason: 'chargeback' });
    expect((await call('POST', '/v1/licenses/{id}/revoke', { params, body: { reason: 'twice' } })).body.code).toBe('LICENSE_ALREADY_REVOKED');
    expect((await call('POST', '/v1/licenses/{id}/revoke', { params: { id: randomUUID() }, body: { reason: 'x' } })).body.code).toBe('LICENSE_NOT_FOUND');
    expect((await call('POST', '/v1/validate', { body: { key: state.key }, token: null })).body).toMatchObject({ valid: false, code: 'REVOKED' });
    expect((await call('POST', '/v1/activate', { body: { key: state.key, fingerprint: 'laptop' }, token: null })).body.code).toBe('REVOKED');
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
    const rotated = await call('POST', '/v1/signing-keys/rotate', { body: { reason: 'Quarterly rotation' } });
    expect(rotated.body).toMatchObject({ status: 'ACTIVE', algorithm: 'EdDSA' });
    const keys = await call('GET', '/v1/signing-keys');
    expect(keys.body.data.map((key: { status: string }) => key.status)).toEqual(['ACTIVE', 'VERIFYING']);
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: rotated.body.id } })).body.code).toBe('SIGNING_KEY_ACTIVE');
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: randomUUID() } })).body.code).toBe('SIGNING_KEY_NOT_FOUND');
    expect((await call('POST', '/v1/signing-keys/{id}/retire', { params: { id: first[0].kid }, body: { reason: 'Every client has the new key' } })).body.status).toBe('RETIRED');
    const trail = await call('GET', '/v1/audit-events', { query: 'target_type=signing_key' });
    expect(trail.body.data).toEqual([
      expect.objectContaining({ action: 'signing_key.retired', target_id: first[0].kid, reason: 'Every client has the new key', after: expect.objectContaining({ status: 'RETIRED' }) }),
      expect.objectContaining({ action: 'signing_key.rotated', target_id: rotated.body.id, reason: 'Quarterly rotation', before: { active_key_id: first[0].kid } }),
    ]);
    expect(JSON.stringify(trail.body)).not.toMatch(/PRIVATE|privateKey|"d":/);
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

    // One message, and a staff retry of one whose delivery ended unsent.
    const messageId = issued.body.data[0].id;
    await stack.db.orm.em.execute(`update outbox_message set status = 'FAILED', last_error = 'Customer.io answered 400' where id = ?`, [messageId]);
    expect((await call('GET', '/v1/messages/{id}', { params: { id: messageId } })).body).toMatchObject({ id: messageId, status: 'FAILED', last_error: 'Customer.io answered 400' });
    expect((await call('GET', '/v1/messages/{id}', { params: { id: randomUUID() } })).body.code).toBe('MESSAGE_NOT_FOUND');
    expect((await call('POST', '/v1/messages/{id}/retry', { params: { id: messageId }, body: {} })).status).toBe(400);
    const retried = await call('POST', '/v1/messages/{id}/retry', { params: { id: messageId }, body: { reason: 'Customer.io template fixed' } });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: messageId, status: 'PENDING' });
    const revoked = mine.body.data.find((m: { event: string }) => m.event === 'license_revoked');
    await stack.db.orm.em.execute(`update outbox_message set status = 'SENT' where id = ?`, [revoked.id]);
    expect((await call('POST', '/v1/messages/{id}/retry', { params: { id: revoked.id }, body: { reason: 'again' } })).body.code).toBe('MESSAGE_NOT_RETRYABLE');
    // "Send now" is for a message that waits (PENDING).
    expect((await call('POST', '/v1/messages/{id}/send-now', { params: { id: revoked.id }, body: { reason: 'now' } })).body.code).toBe('MESSAGE_NOT_PENDING');
    await stack.db.orm.em.execute(`update outbox_message set status = 'PENDING' where id = ?`, [revoked.id]);
    const sentNow = await call('POST', '/v1/messages/{id}/send-now', { params: { id: revoked.id }, body: { reason: 'the customer is waiting' } });
    expect(sentNow.status).toBe(202);
    expect(sentNow.body).toMatchObject({ id: revoked.id });
  });

  it('describes the console\'s reads: license search (by query or body), a license\'s Stripe events and workflow, account notes', async () => {
    const byEmail = await call('GET', '/v1/licenses/search', { query: `q=${encodeURIComponent(email)}` });
    expect(byEmail.body.data.map((hit: { id: string }) => hit.id)).toContain(state.licenseId);
    expect(byEmail.body.data[0]).toMatchObject({ customer: { id: state.customerId, email }, matched: 'email' });
    const byKey = await call('POST', '/v1/licenses/search', { body: { q: state.key } });
    expect(byKey.body.data).toEqual([expect.objectContaining({ id: state.licenseId, matched: 'key' })]);
    expect((await call('GET', '/v1/licenses/search', { query: 'q=cus_Ada1&status=REVOKED' })).body.data[0]).toMatchObject({ id: state.licenseId, matched: 'stripe_customer' });
    const firstPage = await call('GET', '/v1/licenses/search', { query: 'limit=1' });
    expect(firstPage.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const secondPage = await call('POST', '/v1/licenses/search', { body: { limit: 1, cursor: firstPage.body.next_cursor } });
    expect(secondPage.body.data[0].id).not.toBe(firstPage.body.data[0].id);
    expect((await call('GET', '/v1/licenses/search', { query: 'q=x' })).body.code).toBe('INVALID_REQUEST');
    expect((await call('POST', '/v1/licenses/search', { body: { expiring_within_days: -1 } })).body.errors).toEqual([{ field: 'expiring_within_days', message: expect.any(String) }]);

    const params = { id: state.licenseId! };
    expect((await call('GET', '/v1/licenses/{id}/stripe-events', { params })).body).toEqual({ data: [] });
    expect((await call('GET', '/v1/licenses/{id}/stripe-events', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');
    const workflow = await call('GET', '/v1/licenses/{id}/workflow', { params });
    expect(workflow.body).toMatchObject({ workflow_id: `license-${state.licenseId}`, namespace: 'default', ui_url: null, execution: { status: expect.any(String) } });
    expect((await call('GET', '/v1/licenses/{id}/workflow', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');

    const customer = { id: state.customerId! };
    const note = await call('POST', '/v1/customers/{id}/notes', { params: customer, body: { body: 'Renewal call booked for March.' } });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ author: 'admin:bootstrap-admin', body: 'Renewal call booked for March.' });
    expect((await call('POST', '/v1/customers/{id}/notes', { params: customer, body: { body: '   ' } })).status).toBe(400);
    expect((await call('POST', '/v1/customers/{id}/notes', { params: { id: randomUUID() }, body: { body: 'x' } })).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await call('GET', '/v1/customers/{id}/notes', { params: customer })).body.data).toEqual([expect.objectContaining({ id: note.body.id })]);
    expect((await call('GET', '/v1/customers/{id}/notes', { params: { id: randomUUID() } })).body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('describes the key operations: rotate one key or many, send the key again, reset the seats', async () => {
    const plan = await call('POST', '/v1/plans', { body: { product_id: state.productId, code: 'team-keys', name: 'Team', tier: 'pro', seat_limit: 3, deactivation_limit: 2, deactivation_period_days: 30 } });
    expect(plan.status).toBe(201);
    const created = await call('POST', '/v1/licenses', { body: { plan_id: plan.body.id, customer: { email }, expires_at: '2099-01-01T00:00:00Z' } });
    const params = { id: created.body.id as string };
    const client = (path: string, body: Record<string, unknown>) => call('POST', path, { body, token: null });
    for (const fingerprint of ['a', 'b', 'c']) expect((await client('/v1/activate', { key: created.body.key, fingerprint })).status).toBe(201);

    const rotated = await call('POST', '/v1/licenses/{id}/rotate-key', { params, body: { reason: 'leaked in a screenshot', overlap_seconds: 60 } });
    expect(rotated.body).toMatchObject({ id: params.id, current_activations: 3, rotation: { overlap_seconds: 60, email: { status: 'queued' } } });
    expect((await client('/v1/validate', { key: created.body.key })).body.code).toBe('VALID');
    expect((await call('POST', '/v1/licenses/{id}/rotate-key', { params, body: { reason: 'x', overlap_seconds: 604_801 } })).body.code).toBe('INVALID_REQUEST');
    expect((await call('POST', '/v1/licenses/{id}/rotate-key', { params: { id: randomUUID() }, body: { reason: 'x' } })).body.code).toBe('LICENSE_NOT_FOUND');
    const again = await call('POST', '/v1/licenses/{id}/rotate-key', { params, body: { reason: 'leaked again' } });
    expect((await client('/v1/validate', { key: created.body.key })).body).toMatchObject({ valid: false, code: 'KEY_ROTATED', license: null });
    expect((await client('/v1/activate', { key: created.body.key, fingerprint: 'd' })).body).toMatchObject({ valid: false, code: 'KEY_ROTATED' });
    expect((await client('/v1/validate', { key: again.body.key })).body.code).toBe('VALID');

    const many = await call('POST', '/v1/licenses/rotate-keys', { body: { license_ids: [params.id, randomUUID()], reason: 'CI secret leaked', notify: false } });
    expect(many.body).toMatchObject({ rotated: 1, refused: 1, results: [{ status: 'rotated', email: { status: 'not_queued', reason: 'not requested' } }, { status: 'refused', code: 'LICENSE_NOT_FOUND' }] });

    const resent = await call('POST', '/v1/licenses/{id}/resend-key', { params, body: { reason: 'customer lost the e-mail' } });
    expect(resent).toMatchObject({ status: 202, body: { recipient: email, email: { status: 'queued' } } });
    expect((await call('POST', '/v1/licenses/{id}/resend-key', { params })).status).toBe(202);
    expect((await call('POST', '/v1/licenses/{id}/resend-key', { params: { id: randomUUID() } })).body.code).toBe('LICENSE_NOT_FOUND');

    const overCap = await call('POST', '/v1/licenses/{id}/reset-seats', { params, body: { reason: 'fleet re-imaged' } });
    expect(overCap.body).toMatchObject({ code: 'SEAT_RESET_OVER_CAP', cap: { seats: 3, limit: 2, period_days: 30, used: 0, remaining: 2 } });
    const reset = await call('POST', '/v1/licenses/{id}/reset-seats', { params, body: { reason: 'fleet re-imaged', override_cap: true } });
    expect(reset.body).toMatchObject({ current_activations: 0, reset: { freed: 3, cap_overridden: true, cap: { limit: 2, used: 0, remaining: 2 } } });
    expect((await call('POST', '/v1/licenses/{id}/reset-seats', { params: { id: randomUUID() }, body: { reason: 'x' } })).body.code).toBe('LICENSE_NOT_FOUND');
  });

  it('has exercised every operation it answers for with a success', () => {
    expect(contract.unexercised('openapi-license-api')).toEqual([]);
  });
});
