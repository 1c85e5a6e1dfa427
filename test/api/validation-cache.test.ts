import { randomBytes } from 'node:crypto';
import { applyLicenseChange } from '../../domain/licenses/apply-license-change.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import type { LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';
import { validateLicense } from '../../api/validation/validate-license.ts';
import { POLICY_DEFAULTS } from '../../schema/plan/plan-policy.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { testLogger } from '../support/temporal.ts';

describe('validation cache shared by API replicas (LISTEN/NOTIFY)', () => {
  let stack: ApiStack;
  let replica: { cache: LicenseCache; url: string; close(): Promise<void> };

  beforeAll(async () => {
    stack = await startApiStack();
    // A second API replica on the same database, with its own cache.
    const cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
    await cache.start();
    const { url, close } = await startReplica(stack, { cache, rateLimiter: new ClientRateLimiter({ perIpPerMinute: 1e6, perKeyPerMinute: 1e6, unknownKeysPerIpPerMinute: 1e6 }) });
    replica = { cache, url, close };
  });
  afterAll(async () => {
    await replica?.cache.close();
    await replica?.close();
    await stack?.close();
  });

  const validateOnReplica = async (key: string) => {
    const response = await fetch(`${replica.url}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    return (await response.json()) as { code: string; license: { current_activations: number } };
  };

  it('serves repeated validations from the cache', async () => {
    const { key } = await createLicense(stack);
    expect((await validateOnReplica(key)).code).toBe('VALID');
    expect(replica.cache.get(stack.secret.lookupHash(key))).toBeDefined();
  });

  it('shows a revocation on the very next validation of the replica that handled it', async () => {
    const { id, key } = await createLicense(stack);
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'chargeback' } });
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('REVOKED');
  });

  it('drops the other replicas’ cached copy when the workflow changes a license', async () => {
    const { id, key } = await createLicense(stack);
    expect((await validateOnReplica(key)).code).toBe('VALID');
    await applyLicenseChange(stack.db.orm.em)({
      licenseId: id, patch: { status: 'SUSPENDED', statusReason: 'payment grace ended' }, action: 'license.suspended', actor: 'workflow', reason: 'payment grace ended',
    });
    await eventually(async () => ((await validateOnReplica(key)).code === 'SUSPENDED' ? true : undefined), { what: 'the replica to see the suspension' });
  });

  it('shows a plan edit (features, seat limit) on every replica at once', async () => {
    const { key, plan } = await createLicense(stack, { seat_limit: 3, features: { export: true } });
    expect((await validateOnReplica(key)).license).toMatchObject({ features: { export: true }, seat_limit: 3 });
    expect(replica.cache.get(stack.secret.lookupHash(key))).toBeDefined();
    const edited = await stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { features: { export: true, sso: true }, seat_limit: 5 } });
    expect(edited.status).toBe(200);
    await eventually(async () => {
      const license = (await validateOnReplica(key)).license as unknown as { features: Record<string, unknown>; seat_limit: number };
      return license.seat_limit === 5 && license.features.sso === true ? true : undefined;
    }, { what: 'the replica to see the plan edit', timeoutMs: 5_000 });
  });

  it('drops the other replicas’ cached seat count when an activation changes', async () => {
    const { key } = await createLicense(stack, { seat_limit: 3 });
    expect((await validateOnReplica(key)).license.current_activations).toBe(0);
    await client(stack, '/v1/activate', { key, fingerprint: `m-${randomBytes(2).toString('hex')}` });
    await eventually(async () => ((await validateOnReplica(key)).license.current_activations === 1 ? true : undefined), { what: 'the new seat count' });
  });

  it('keeps answering a cached license correctly as its dates pass (memoised answers)', async () => {
    const cache = replica.cache;
    const day = 86_400_000;
    const expiresAt = new Date('2030-01-10T00:00:00.000Z');
    const snapshot: LicenseSnapshot = {
      id: '00000000-0000-4000-8000-00000000beef', status: 'ACTIVE', statusReason: null, planId: 'p', planCode: 'pro', planName: 'Pro', tier: 'pro',
      productCode: 'desk', customerEmail: null, expiresAt, trialEndsAt: null, overageStartedAt: null, version: 1,
      policy: { ...POLICY_DEFAULTS, features: { export: true }, expiryGraceDays: 3 },
    };
    cache.set('memo-key-hash', { snapshot, seatsInUse: 2, activations: new Map() }, cache.tick());
    const deps = { cache, db: undefined as never };
    const plain = async (now: Date, nonce?: string) => {
      const result = await validateLicense(deps, { key: 'KW-X', ...(nonce ? { nonce } : {}) }, '127.0.0.1', 'memo-key-hash', now);
      return result.json === undefined ? result.body : JSON.parse(result.json);
    };
    // The same question with features, which is never memoised: the answers must be identical but for the scope it echoes.
    const unmemoised = async (now: Date, nonce?: string) => {
      const { scope, ...answer } = (await validateLicense(deps, { key: 'KW-X', features: ['export'], ...(nonce ? { nonce } : {}) }, '127.0.0.1', 'memo-key-hash', now)).body!;
      expect(scope).toEqual({ features: ['export'] });
      return answer;
    };

    const before = new Date(expiresAt.getTime() - day);
    expect(await plain(before, 'n-1')).toEqual(await unmemoised(before, 'n-1'));
    expect(await plain(before, 'n-1')).toMatchObject({ valid: true, code: 'VALID', nonce: 'n-1', ts: before.toISOString(), license: { current_activations: 2 } });
    expect(await plain(new Date(expiresAt.getTime() - 1))).toMatchObject({ code: 'VALID' });
    expect(await plain(expiresAt)).toMatchObject({ valid: true, code: 'IN_GRACE', ts: expiresAt.toISOString() });
    expect(await plain(expiresAt)).not.toHaveProperty('nonce');
    const inGrace = new Date(expiresAt.getTime() + 2 * day);
    expect(await plain(inGrace)).toEqual(await unmemoised(inGrace));
    const graceEnds = new Date(expiresAt.getTime() + 3 * day);
    expect(await plain(graceEnds)).toMatchObject({ valid: false, code: 'EXPIRED' });
    expect(await plain(graceEnds, 'n"2')).toEqual(await unmemoised(graceEnds, 'n"2'));
    cache.invalidate(snapshot.id);
  });

  it('does not keep a fill that raced with an invalidation', () => {
    const cache = replica.cache;
    const readAt = cache.tick();
    cache.invalidate('00000000-0000-4000-8000-00000000abcd');
    const snapshot = { id: '00000000-0000-4000-8000-00000000abcd' } as never;
    cache.set('some-key-hash', { snapshot, seatsInUse: 0, activations: new Map() }, readAt);
    expect(cache.get('some-key-hash')).toBeUndefined();
    cache.set('some-key-hash', { snapshot, seatsInUse: 0, activations: new Map() }, cache.tick());
    expect(cache.get('some-key-hash')).toBeDefined();
  });
});

describe('rate limits on the client endpoints', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ rateLimits: { perIpPerMinute: 1000, perKeyPerMinute: 3, unknownKeysPerIpPerMinute: 2 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('limits calls per key and says when to retry', async () => {
    const { key } = await createLicense(stack);
    for (let i = 0; i < 3; i += 1) expect((await client(stack, '/v1/validate', { key })).status).toBe(200);
    const limited = await client(stack, '/v1/validate', { key });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts in windows that start with a key’s first call, and says how long is left', () => {
    const limiter = new ClientRateLimiter({ perIpPerMinute: 1000, perKeyPerMinute: 2, unknownKeysPerIpPerMinute: 1 });
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const refusal = (call: () => void) => {
      try {
        call();
      } catch (error) {
        return error as { code: string; headers: Record<string, string>; message: string };
      }
      return undefined;
    };
    limiter.admit('10.0.0.1', 'key-a', t0);
    limiter.admit('10.0.0.1', 'key-a', t0 + 10_000);
    expect(refusal(() => limiter.admit('10.0.0.1', 'key-a', t0 + 20_000))).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '40' } });
    expect(refusal(() => limiter.admit('10.0.0.1', 'key-a', t0 + 59_999))).toMatchObject({ headers: { 'Retry-After': '1' } });
    expect(refusal(() => limiter.admit('10.0.0.1', 'key-a', t0 + 60_000))).toBeUndefined();
    // A window still running when the counters rotate keeps its count.
    limiter.admit('10.0.0.1', 'key-b', t0 + 90_000);
    limiter.admit('10.0.0.1', 'key-c', t0 + 121_000);
    limiter.admit('10.0.0.1', 'key-b', t0 + 122_000);
    expect(refusal(() => limiter.admit('10.0.0.1', 'key-b', t0 + 123_000))?.message).toContain('license key');
    expect(refusal(() => limiter.admit('10.0.0.1', 'key-b', t0 + 150_000))).toBeUndefined();
    // Unknown keys bar the address (not others) until its window ends.
    limiter.recordUnknownKey('10.0.0.2', t0);
    expect(refusal(() => limiter.admit('10.0.0.2', 'key-d', t0 + 1_000))?.message).toContain('unknown license keys');
    expect(refusal(() => limiter.admit('10.0.0.3', 'key-d', t0 + 1_000))).toBeUndefined();
    expect(refusal(() => limiter.admit('10.0.0.2', 'key-d', t0 + 60_000))).toBeUndefined();
  });

  it('bars an address that guesses keys', async () => {
    const guess = () => client(stack, '/v1/validate', { key: `KW-${randomBytes(12).toString('hex').toUpperCase()}` });
    expect((await guess()).body.code).toBe('NOT_FOUND');
    expect((await guess()).body.code).toBe('NOT_FOUND');
    const barred = await guess();
    expect(barred.status).toBe(429);
    expect(barred.body.detail).toContain('unknown license keys');
  });
});
