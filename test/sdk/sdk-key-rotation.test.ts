import { KeywardenClient } from '../../sdk/src/index.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { fetchJwks, inspectableStorage, unreachable } from './sdk-support.ts';

/**
 * A rotated-out key answers KEY_ROTATED: the SDK reports it, remembers the signed answer for
 * that key, and offline answers KEY_ROTATED again rather than a stored answer or an offline token.
 */
describe('the client SDK after its key was rotated out', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reports KEY_ROTATED online and for seat calls, keeps reporting it offline, and works with the new key', async () => {
    const { id, key } = await createLicense(stack, { cache_ttl_seconds: 3600, seat_limit: 2 });
    const { storage } = inspectableStorage();
    const jwks = await fetchJwks(stack);
    const base = { baseUrl: stack.baseUrl, licenseKey: key, jwks, storage, fingerprint: 'laptop-1' };
    const online = new KeywardenClient(base);
    expect(await online.activate()).toMatchObject({ ok: true, created: true });
    expect(await online.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online' });
    const file = await stack.request('POST', `/v1/licenses/${id}/offline-tokens?format=file`, { body: { ttl_days: 30, fingerprint: 'laptop-1' } });
    expect(await online.installOfflineToken(file.body)).toMatchObject({ valid: true, source: 'offline-token' });

    const rotated = await stack.request('POST', `/v1/licenses/${id}/rotate-key`, { body: { reason: 'key leaked' } });
    expect(rotated.status).toBe(200);
    // Within its cache_ttl the stored VALID answer would stand in: a forced validation asks the server.
    expect(await online.validate({ force: true })).toMatchObject({ valid: false, code: 'KEY_ROTATED', source: 'online', license: null });
    expect(await online.validate()).toMatchObject({ valid: false, code: 'KEY_ROTATED' });
    expect(await online.heartbeat()).toMatchObject({ ok: false, code: 'KEY_ROTATED' });
    // A restart without the network: neither the stored answers nor the offline token stand in.
    const offline = new KeywardenClient({ ...base, fetch: unreachable().fetch });
    expect(await offline.validate()).toMatchObject({ valid: false, code: 'KEY_ROTATED', source: 'cache' });
    expect(await offline.validate({ force: true })).toMatchObject({ valid: false, code: 'KEY_ROTATED', source: 'signed-response' });
    expect(await offline.validate({ features: ['export'], force: true })).toMatchObject({ valid: false, code: 'KEY_ROTATED', source: 'signed-response' });

    // The new key, on the same storage: the same license, the machine still activated.
    const renewed = new KeywardenClient({ ...base, licenseKey: rotated.body.key });
    expect(await renewed.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online', license: { id, current_activations: 1 } });
    expect(await renewed.activate()).toMatchObject({ ok: true, created: false });
  });
});
