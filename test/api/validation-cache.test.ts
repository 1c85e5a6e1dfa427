import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { applyLicenseTransition } from '../../activities/license-transition.ts';
import { createApp } from '../../api/app.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { testLogger } from '../support/temporal.ts';

describe('validation cache shared by API replicas (LISTEN/NOTIFY)', () => {
  let stack: ApiStack;
  let replica: { cache: LicenseCache; server: Server; url: string };

  beforeAll(async () => {
    stack = await startApiStack();
    // A second API replica on the same database, with its own cache.
    const cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
    await cache.start();
    const app = createApp({
      em: stack.db.orm.em,
      temporal: stack.temporal,
      secret: stack.secret,
      logger: testLogger,
      taskQueue: stack.taskQueue,
      cache,
      rateLimiter: new ClientRateLimiter({ perIpPerMinute: 1e6, perKeyPerMinute: 1e6, unknownKeysPerIpPerMinute: 1e6 }),
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    replica = { cache, server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
  });
  afterAll(async () => {
    await replica?.cache.close();
    await new Promise((resolve) => replica?.server.close(resolve));
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
    await applyLicenseTransition(stack.db.orm.em, { licenseId: id, to: 'SUSPENDED', action: 'license.suspended', actor: 'workflow', reason: 'payment grace ended' });
    await eventually(async () => ((await validateOnReplica(key)).code === 'SUSPENDED' ? true : undefined), { what: 'the replica to see the suspension' });
  });

  it('drops the other replicas’ cached seat count when an activation changes', async () => {
    const { key } = await createLicense(stack, { seat_limit: 3 });
    expect((await validateOnReplica(key)).license.current_activations).toBe(0);
    await client(stack, '/v1/activate', { key, fingerprint: `m-${randomBytes(2).toString('hex')}` });
    await eventually(async () => ((await validateOnReplica(key)).license.current_activations === 1 ? true : undefined), { what: 'the new seat count' });
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

  it('bars an address that guesses keys', async () => {
    const guess = () => client(stack, '/v1/validate', { key: `KW-${randomBytes(12).toString('hex').toUpperCase()}` });
    expect((await guess()).body.code).toBe('NOT_FOUND');
    expect((await guess()).body.code).toBe('NOT_FOUND');
    const barred = await guess();
    expect(barred.status).toBe(429);
    expect(barred.body.detail).toContain('unknown license keys');
  });
});
