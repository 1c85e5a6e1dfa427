import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';

describe('activations and seats', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const liveActivations = async (licenseId: string) => {
    const rows = await stack.db.orm.em.execute<{ n: number }[]>(
      'select count(*)::int as n from activation where license_id = ? and deactivated_at is null',
      [licenseId],
    );
    return rows[0]!.n;
  };

  it('accepts exactly 10 of 100 simultaneous activations against a 10-seat license', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 10 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client(stack, '/v1/activate', { key, fingerprint: `machine-${i}`, hostname: `host-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(90);
    const refused = results.find((r) => r.status === 422)!;
    expect(refused.body).toEqual({ valid: false, code: 'SEAT_LIMIT_EXCEEDED', detail: 'seat limit reached: 10 of 10 activations. Deactivate one to free a seat.', scope: { fingerprint: expect.stringMatching(/^machine-/) }, ts: expect.any(String) });
    expect(await liveActivations(id)).toBe(10);
  });

  it('is idempotent for a fingerprint that is already active', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 2 });
    const first = await client(stack, '/v1/activate', { key, fingerprint: 'laptop', name: 'Ada’s laptop', platform: 'macos' });
    const again = await client(stack, '/v1/activate', { key, fingerprint: 'laptop' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.activation.id).toBe(first.body.activation.id);
    expect(again.body.license.current_activations).toBe(1);
    expect(await liveActivations(id)).toBe(1);

    const validation = await client(stack, '/v1/validate', { key, fingerprint: 'laptop' });
    expect(validation.body).toMatchObject({ valid: true, code: 'VALID', license: { current_activations: 1, seat_limit: 2 } });
    expect((await client(stack, '/v1/validate', { key, fingerprint: 'desktop' })).body.code).toBe('NOT_ACTIVATED');
  });

  it('counts named users, not machines, on a NAMED_USER plan', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1, seat_model: 'NAMED_USER' });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'a-1' })).body.code).toBe('USER_REQUIRED');
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'a-1', user: 'ada' })).status).toBe(201);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'a-2', user: 'ada' })).status).toBe(201);
    const grace = await client(stack, '/v1/activate', { key, fingerprint: 'g-1', user: 'grace' });
    expect(grace.status).toBe(422);
    expect(grace.body.detail).toBe('seat limit reached: 1 of 1 users. Deactivate one to free a seat.');
    expect((await client(stack, '/v1/validate', { key, user: 'ada' })).body.code).toBe('VALID');
    expect((await client(stack, '/v1/validate', { key, user: 'grace' })).body.code).toBe('NOT_ACTIVATED');
  });

  it('frees a concurrent seat when its lease misses the heartbeat', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 1, seat_model: 'CONCURRENT', lease_seconds: 60 });
    const first = await client(stack, '/v1/activate', { key, fingerprint: 'session-1' });
    expect(first.status).toBe(201);
    expect(Date.parse(first.body.activation.lease_expires_at)).toBeGreaterThan(Date.now() + 50_000);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'session-2' })).body.code).toBe('SEAT_LIMIT_EXCEEDED');
    const beat = await client(stack, '/v1/heartbeat', { key, fingerprint: 'session-1' });
    expect(beat).toMatchObject({ status: 200, body: { code: 'LEASE_RENEWED' } });

    // The lease lapses (as if no heartbeat came for longer than lease_seconds).
    await stack.db.orm.em.execute(`update activation set lease_expires_at = now() - interval '1 second' where license_id = ?`, [id]);
    expect((await client(stack, '/v1/validate', { key, fingerprint: 'session-1' })).body.code).toBe('HEARTBEAT_DEAD');
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'session-2' })).status).toBe(201);
    const late = await client(stack, '/v1/heartbeat', { key, fingerprint: 'session-1' });
    expect(late).toMatchObject({ status: 422, body: { code: 'HEARTBEAT_DEAD' } });
  });

  it('tolerates overage seats for the grace days, then enforces the limit strictly', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 2, overage_seats: 1, overage_days: 7 });
    for (const fingerprint of ['m1', 'm2', 'm3']) expect((await client(stack, '/v1/activate', { key, fingerprint })).status).toBe(201);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'm4' })).body.code).toBe('SEAT_LIMIT_EXCEEDED');
    expect((await client(stack, '/v1/validate', { key, fingerprint: 'm3' })).body.code).toBe('VALID');

    await stack.db.orm.em.execute(`update license set overage_started_at = now() - interval '8 days' where id = ?`, [id]);
    stack.cache.clear();
    const over = await client(stack, '/v1/validate', { key, fingerprint: 'm1' });
    expect(over.body).toMatchObject({ valid: false, code: 'SEAT_LIMIT_EXCEEDED' });
    expect(over.body.detail).toBe('seat limit exceeded: 3 of 2 activations in use. Deactivate a device to continue.');

    expect((await client(stack, '/v1/deactivate', { key, fingerprint: 'm3' })).status).toBe(200);
    expect((await client(stack, '/v1/validate', { key, fingerprint: 'm1' })).body.code).toBe('VALID');
    const license = await stack.request('GET', `/v1/licenses/${id}`);
    expect(license.body.overage_started_at).toBeNull();
  });

  it('caps self-service deactivations per period, while an admin can still free a seat', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 5, deactivation_limit: 1, deactivation_period_days: 30 });
    for (const fingerprint of ['d1', 'd2', 'd3']) await client(stack, '/v1/activate', { key, fingerprint });
    expect((await client(stack, '/v1/deactivate', { key, fingerprint: 'd1' })).status).toBe(200);
    const capped = await client(stack, '/v1/deactivate', { key, fingerprint: 'd2' });
    expect(capped).toMatchObject({ status: 422, body: { code: 'DEACTIVATION_LIMIT_REACHED' } });
    expect(capped.body.detail).toContain('1 of 1 in the last 30 days');
    expect((await client(stack, '/v1/deactivate', { key, fingerprint: 'nope' })).body.code).toBe('NOT_ACTIVATED');

    const license = await stack.request('GET', `/v1/licenses/${id}`);
    const d2 = license.body.activations.find((a: { fingerprint: string }) => a.fingerprint === 'd2');
    const forced = await stack.request('POST', `/v1/licenses/${id}/activations/${d2.id}/deactivate`, { body: { reason: 'customer moved machines' } });
    expect(forced.status).toBe(200);
    expect(forced.body.current_activations).toBe(1);
    expect(forced.body.activations.find((a: { id: string }) => a.id === d2.id)).toMatchObject({ deactivated_by: 'admin:bootstrap-admin' });
    expect(forced.body.audit_events[0]).toMatchObject({ action: 'activation.deactivated', reason: 'customer moved machines' });
  });

  it('enforces domain locks on activation and validation', async () => {
    const { key } = await createLicense(stack, { allowed_domains: ['*.example.com'] });
    const wrong = await client(stack, '/v1/activate', { key, fingerprint: 'site-1', domain: 'example.org' });
    expect(wrong).toMatchObject({ status: 422, body: { code: 'DOMAIN_MISMATCH', detail: 'This license is restricted to the domain *.example.com.' } });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'site-1', domain: 'https://shop.example.com/' })).status).toBe(201);
    expect((await client(stack, '/v1/validate', { key, domain: 'shop.example.com' })).body.code).toBe('VALID');
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('DOMAIN_MISMATCH');
  });

  it('reports missing features, and refuses activation of a revoked license', async () => {
    const { id, key } = await createLicense(stack, { features: { export: true, sso: false } });
    const missing = await client(stack, '/v1/validate', { key, features: ['export', 'sso'] });
    expect(missing.body).toMatchObject({ valid: false, code: 'FEATURES_MISSING' });
    expect(missing.body.detail).toContain('sso');
    await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'fraud' } });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'x' })).body.code).toBe('REVOKED');
  });

  it('refuses heartbeats once the license is revoked, so a lease cannot outlive it', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 2, seat_model: 'CONCURRENT' });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 's1' })).status).toBe(201);
    await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'refund' } });
    expect(await client(stack, '/v1/heartbeat', { key, fingerprint: 's1' })).toMatchObject({ status: 422, body: { code: 'REVOKED' } });
  });

  it('closes the overage window when an admin frees the seat that caused it', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 1, overage_seats: 1, overage_days: 7 });
    await client(stack, '/v1/activate', { key, fingerprint: 'o1' });
    await client(stack, '/v1/activate', { key, fingerprint: 'o2' });
    const over = await stack.request('GET', `/v1/licenses/${id}`);
    expect(over.body.overage_started_at).not.toBeNull();
    const o2 = over.body.activations.find((a: { fingerprint: string }) => a.fingerprint === 'o2');
    const freed = await stack.request('POST', `/v1/licenses/${id}/activations/${o2.id}/deactivate`, { body: {} });
    expect(freed.body).toMatchObject({ current_activations: 1, overage_started_at: null });
  });

  it('allocates seats exactly when activations for several licenses arrive together (batched)', async () => {
    const licenses = await Promise.all([0, 1, 2, 3].map(() => createLicense(stack, { seat_limit: 3 })));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => client(stack, '/v1/activate', { key: licenses[i % 4]!.key, fingerprint: `batched-${i}` })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(12);
    expect(results.filter((r) => r.status === 422)).toHaveLength(48);
    for (const { id } of licenses) {
      expect(await liveActivations(id)).toBe(3);
      const audit = await stack.db.orm.em.execute<{ n: number }[]>(`select count(*)::int as n from audit_event where license_id = ? and action = 'activation.created'`, [id]);
      expect(audit[0]!.n).toBe(3);
    }
  });

  it('activates one fingerprint sent many times at once exactly once', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 5 });
    const results = await Promise.all(Array.from({ length: 10 }, () => client(stack, '/v1/activate', { key, fingerprint: 'same-machine' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.activation.id)).size).toBe(1);
    expect(await liveActivations(id)).toBe(1);
  });

  it('fails only the activation Postgres rejects, not the others sent with it', async () => {
    const licenses = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => createLicense(stack, { seat_limit: 2 })));
    // A fault of one row (no client input can cause one): Postgres refuses that insert, and only that request answers 500.
    await stack.db.orm.em.execute(`create function refuse_isolated_3() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await stack.db.orm.em.execute(`create trigger refuse_isolated_3 before insert on activation for each row when (new.fingerprint = 'isolated-3') execute function refuse_isolated_3()`);
    const results = await Promise.all(licenses.map(({ key }, i) => stack.request('POST', '/v1/activate', { body: { key, fingerprint: `isolated-${i}` }, token: null })));
    await stack.db.orm.em.execute(`drop trigger refuse_isolated_3 on activation; drop function refuse_isolated_3()`);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 500, 201, 201, 201, 201]);
    expect(await liveActivations(licenses[3]!.id)).toBe(0);
    expect(await liveActivations(licenses[4]!.id)).toBe(1);
  });

  it('judges an activation on the license as it is now, not as a cache remembers it', async () => {
    const { id, key, plan } = await createLicense(stack, { seat_limit: 5 });
    // Cached by a validation, then the plan gains a domain lock (plans do not notify the cache).
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    expect((await stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { allowed_domains: ['example.com'] } })).status).toBe(200);
    const locked = await client(stack, '/v1/activate', { key, fingerprint: 'f1' });
    expect(locked).toMatchObject({ status: 422, body: { code: 'DOMAIN_MISMATCH' } });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'f1', domain: 'example.com' })).status).toBe(201);
    // And back: a refusal remembered from the last activation is not given again once the lock is gone.
    expect((await stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { allowed_domains: [] } })).status).toBe(200);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'f2' })).status).toBe(201);
    // Revoked after the activation path remembered the license: refused.
    await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'refund' } });
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'f3' })).body.code).toBe('REVOKED');
    expect(await liveActivations(id)).toBe(2);
  });

  it('replaces a lapsed lease of the same fingerprint in one activation', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 1, seat_model: 'CONCURRENT', lease_seconds: 60 });
    const first = await client(stack, '/v1/activate', { key, fingerprint: 'kiosk' });
    await stack.db.orm.em.execute(`update activation set lease_expires_at = now() - interval '1 second' where license_id = ?`, [id]);
    const again = await client(stack, '/v1/activate', { key, fingerprint: 'kiosk' });
    expect(again.status).toBe(201);
    expect(again.body.activation.id).not.toBe(first.body.activation.id);
    const rows = await stack.db.orm.em.execute<{ id: string; deactivated_by: string | null }[]>(`select id, deactivated_by from activation where license_id = ? order by first_seen_at`, [id]);
    expect(rows).toEqual([{ id: first.body.activation.id, deactivated_by: 'lease-expired' }, { id: again.body.activation.id, deactivated_by: null }]);
  });

  it('answers an unknown key with 404 NOT_FOUND on activation', async () => {
    const response = await client(stack, '/v1/activate', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', fingerprint: 'x' });
    expect(response).toMatchObject({ status: 404, body: { valid: false, code: 'NOT_FOUND' } });
  });
});
