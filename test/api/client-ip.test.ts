import type { IncomingMessage } from 'node:http';
import { canonicalIp, resolveClientIp, trustFunction } from '../../api/http/client-ip.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import type { TrustProxy } from '../../lib/http-edge-settings.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { startApiStack, startReplica, type ApiStack, type Replica } from '../support/api-stack.ts';

/**
 * X-Forwarded-For is written by whoever sends the request. Without a trusted proxy it is
 * ignored; behind one, only the entry that proxy appended (the address it saw) is believed.
 * Every test sends from 127.0.0.1, the trusted proxy's address where one is configured.
 */
describe('the client address, with and without trusted proxies (TRUST_PROXY)', () => {
  let stack: ApiStack;
  const replicas: Replica[] = [];
  const generous = { perIpPerMinute: 100_000, perKeyPerMinute: 100_000, unknownKeysPerIpPerMinute: 100_000 };

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await stack?.close();
  });

  /** A replica of the API on the stack's database, with its own limits and TRUST_PROXY. */
  async function replica(trustProxy: TrustProxy | undefined, limits: Partial<typeof generous> = {}) {
    const started = await startReplica(stack, { trustProxy, rateLimiter: new ClientRateLimiter({ ...generous, ...limits }) });
    replicas.push(started);
    return (path: string, body: Record<string, unknown>, forwardedFor?: string) =>
      fetch(started.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
  }

  const activationIp = async (licenseId: string, fingerprint: string) =>
    (await stack.db.orm.em.execute<{ ip: string }[]>(`select ip from activation where license_id = ? and fingerprint = ?`, [licenseId, fingerprint]))[0]?.ip;

  describe('with no trusted proxy (the default)', () => {
    it('ignores X-Forwarded-For for the CIDR lock', async () => {
      const call = await replica(undefined);
      const { key } = await createLicense(stack, { allowed_cidrs: ['192.0.2.0/24'] });
      expect((await call('/v1/validate', { key }, '192.0.2.5')).body.code).toBe('IP_NOT_ALLOWED');
      expect((await call('/v1/activate', { key, fingerprint: 'outsider' }, '192.0.2.5')).body.code).toBe('IP_NOT_ALLOWED');
      const local = await createLicense(stack, { allowed_cidrs: ['127.0.0.0/8'] });
      expect((await call('/v1/validate', { key: local.key }, '192.0.2.5')).body.code).toBe('VALID');
    });

    it('records the socket’s address in the activation history, not the one the client wrote', async () => {
      const call = await replica(undefined);
      const { id, key } = await createLicense(stack);
      expect((await call('/v1/activate', { key, fingerprint: 'laptop' }, '192.0.2.5')).status).toBe(201);
      expect(await activationIp(id, 'laptop')).toBe('127.0.0.1');
    });

    it('bars a key-guessing address whatever X-Forwarded-For each guess carries', async () => {
      const call = await replica(undefined, { unknownKeysPerIpPerMinute: 2 });
      for (const spoofed of ['192.0.2.1', '192.0.2.2']) expect((await call('/v1/validate', { key: 'KW-0000-0000-0000-0000-0000-0001' }, spoofed)).body.code).toBe('NOT_FOUND');
      const { key } = await createLicense(stack);
      const barred = await call('/v1/validate', { key }, '198.51.100.77');
      expect(barred).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    });

    it('counts every call from the socket’s address against the per-IP limit', async () => {
      const call = await replica(undefined, { perIpPerMinute: 3 });
      const { key } = await createLicense(stack);
      for (const spoofed of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) expect((await call('/v1/validate', { key }, spoofed)).status).toBe(200);
      expect((await call('/v1/validate', { key }, '192.0.2.4')).status).toBe(429);
    });
  });

  describe('behind one trusted proxy (TRUST_PROXY=loopback)', () => {
    const proxy: TrustProxy = { ranges: ['loopback'] };

    it('takes the address the proxy saw for the CIDR lock, never the one the client wrote before it', async () => {
      const call = await replica(proxy);
      const { key } = await createLicense(stack, { allowed_cidrs: ['192.0.2.0/24'] });
      // The client wrote 192.0.2.5; the proxy appended the address it saw, 203.0.113.9.
      expect((await call('/v1/validate', { key }, '192.0.2.5, 203.0.113.9')).body.code).toBe('IP_NOT_ALLOWED');
      expect((await call('/v1/validate', { key }, '203.0.113.9, 192.0.2.5')).body.code).toBe('VALID');
      expect((await call('/v1/validate', { key })).body.code).toBe('IP_NOT_ALLOWED');
    });

    it('records the real client’s address in the activation history', async () => {
      const call = await replica(proxy);
      const { id, key } = await createLicense(stack);
      expect((await call('/v1/activate', { key, fingerprint: 'desk' }, '10.9.9.9, 198.51.100.20')).status).toBe(201);
      expect(await activationIp(id, 'desk')).toBe('198.51.100.20');
      // A proxy that passed on something that is no address: the proxy itself stands for the client.
      expect((await call('/v1/activate', { key, fingerprint: 'odd' }, 'not-an-address')).status).toBe(201);
      expect(await activationIp(id, 'odd')).toBe('127.0.0.1');
    });

    it('bars the real client for guessing keys, whatever it writes before the proxy’s entry, and only that client', async () => {
      const call = await replica(proxy, { unknownKeysPerIpPerMinute: 2 });
      for (const spoofed of ['192.0.2.1', '192.0.2.2']) {
        expect((await call('/v1/validate', { key: 'KW-0000-0000-0000-0000-0000-0002' }, `${spoofed}, 203.0.113.50`)).body.code).toBe('NOT_FOUND');
      }
      const { key } = await createLicense(stack);
      expect((await call('/v1/validate', { key }, '192.0.2.3, 203.0.113.50')).status).toBe(429);
      expect((await call('/v1/validate', { key }, '203.0.113.51')).status).toBe(200);
    });
  });

  describe('resolving the chain', () => {
    const request = (remoteAddress: string, forwardedFor?: string) =>
      ({ headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress } }) as unknown as IncomingMessage;
    const resolve = (trust: TrustProxy, remoteAddress: string, forwardedFor?: string) => resolveClientIp(request(remoteAddress, forwardedFor), trustFunction(trust));

    it('counts hops from the socket', () => {
      expect(resolve({ hops: 1 }, '10.0.0.2', '192.0.2.1, 198.51.100.7')).toBe('198.51.100.7');
      expect(resolve({ hops: 2 }, '10.0.0.2', '192.0.2.1, 198.51.100.7, 10.0.0.1')).toBe('198.51.100.7');
      expect(resolve({ hops: 2 }, '10.0.0.2', '198.51.100.7')).toBe('198.51.100.7');
    });

    it('stops at the first address that is not a trusted proxy, from the right', () => {
      const proxies: TrustProxy = { ranges: ['10.0.0.0/8'] };
      expect(resolve(proxies, '10.0.0.2', '192.0.2.1, 198.51.100.7, 10.0.0.1')).toBe('198.51.100.7');
      // The socket's peer is no trusted proxy: its header is not read at all.
      expect(resolve(proxies, '203.0.113.1', '192.0.2.1')).toBe('203.0.113.1');
      expect(resolve(proxies, '10.0.0.2')).toBe('10.0.0.2');
    });

    it('spells IPv4-mapped IPv6 addresses as IPv4', () => {
      expect(canonicalIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
      expect(resolve({ ranges: ['loopback'] }, '::ffff:127.0.0.1', '::ffff:198.51.100.7')).toBe('198.51.100.7');
      expect(canonicalIp('2001:db8::1')).toBe('2001:db8::1');
    });
  });
});
