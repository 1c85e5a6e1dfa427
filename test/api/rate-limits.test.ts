import { ClientRateLimiter, type RateLimits } from '../../api/http/rate-limit.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { startApiStack, startReplica, type ApiStack, type Replica } from '../support/api-stack.ts';

describe('rate limits on the client endpoints', () => {
  let stack: ApiStack;
  const replicas: Replica[] = [];
  const generous: RateLimits = { perIpPerMinute: 100_000, perKeyPerMinute: 100_000, perKeyIpPerMinute: 100_000, unknownKeysPerIpPerMinute: 100_000 };

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await stack?.close();
  });

  /** A replica with its own limiter; behind a trusted loopback proxy, so a test can speak for several clients (X-Forwarded-For). */
  async function replica(limits: Partial<RateLimits>) {
    const started = await startReplica(stack, { trustProxy: { ranges: ['loopback'] }, rateLimiter: new ClientRateLimiter({ ...generous, ...limits }) });
    replicas.push(started);
    return async (path: string, body: Record<string, unknown>, clientIp = '198.51.100.1') => {
      const response = await fetch(started.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as any };
    };
  }

  const unknownKey = 'KW-0000-0000-0000-0000-0000-0009';

  it.each(['/v1/heartbeat', '/v1/deactivate'])('counts unknown keys sent to %s toward the address’s unknown-key limit', async (path) => {
    const call = await replica({ unknownKeysPerIpPerMinute: 2 });
    const { key } = await createLicense(stack);
    for (let i = 0; i < 2; i += 1) expect((await call(path, { key: unknownKey, fingerprint: 'f' })).status).toBe(404);
    // The address is barred now, on every client endpoint, whatever key it sends; another address is not.
    expect(await call(path, { key, fingerprint: 'f' })).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED', detail: expect.stringContaining('unknown license keys') } });
    expect((await call('/v1/validate', { key })).status).toBe(429);
    expect((await call('/v1/validate', { key }, '198.51.100.2')).status).toBe(200);
  });

  it('limits a key per address below its ceiling, so one client cannot lock the key’s other users out', async () => {
    const call = await replica({ perKeyIpPerMinute: 3, perKeyPerMinute: 9 });
    const { key } = await createLicense(stack);
    for (let i = 0; i < 3; i += 1) expect((await call('/v1/validate', { key }, '203.0.113.1')).status).toBe(200);
    // The greedy client is refused its fourth call and every one after; those refusals do not use up the key.
    for (let i = 0; i < 10; i += 1) {
      expect(await call('/v1/validate', { key }, '203.0.113.1')).toMatchObject({ status: 429, body: { detail: expect.stringContaining('from this address') } });
    }
    for (const client of ['203.0.113.2', '203.0.113.3']) {
      for (let i = 0; i < 3; i += 1) expect([client, (await call('/v1/validate', { key }, client)).status]).toEqual([client, 200]);
    }
    // Nine calls from three addresses: the key's ceiling. Now the key rests for everyone.
    expect(await call('/v1/validate', { key }, '203.0.113.4')).toMatchObject({ status: 429, body: { detail: expect.stringContaining('for this license key;') } });
    // Another key is not affected.
    expect((await call('/v1/validate', { key: (await createLicense(stack)).key }, '203.0.113.1')).status).toBe(200);
  });

  it('uses the ceiling per address too when no per-address limit is given', () => {
    const limiter = new ClientRateLimiter({ perIpPerMinute: 100, perKeyPerMinute: 2, unknownKeysPerIpPerMinute: 100 });
    limiter.admit('10.0.0.1', 'k');
    limiter.admit('10.0.0.2', 'k');
    expect(() => limiter.admit('10.0.0.3', 'k')).toThrow(/for this license key/);
  });
});
