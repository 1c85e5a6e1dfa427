import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { exportJWK } from 'jose';
import { KeywardenClient, licenseKeyDigest, type JsonWebKeySet } from '../src/index.ts';

/** The SDK's check that a signed answer is about its own license key (`kwk` in the protected header). */
describe('signed answers bound to the license key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = randomUUID();
  const key = 'KW-7QXM-AAAA-BBBB-CCCC-DDDD-EEEE';
  let jwks: JsonWebKeySet;

  /** A server that signs its answer (echoing the nonce) with the given protected header. */
  const server = (header: Record<string, unknown>): typeof fetch => async (_input, init) => {
    const { nonce } = JSON.parse(String(init!.body)) as { nonce: string };
    const body = JSON.stringify({ valid: true, code: 'VALID', detail: 'ok', license: null, cache_ttl: 60, nonce, ts: new Date().toISOString() });
    const protectedHeader = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, ...header })).toString('base64url');
    const input = `${protectedHeader}.${Buffer.from(body).toString('base64url')}`;
    const signature = `${protectedHeader}..${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'keywarden-signature': signature } });
  };
  const validate = (header: Record<string, unknown>, licenseKey = key) => new KeywardenClient({ baseUrl: 'http://keywarden.test', licenseKey, jwks, fetch: server(header) }).validate();

  beforeAll(async () => {
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid }] };
  });

  it('uses base64url(SHA-256(key)), as the API does', () => {
    expect(licenseKeyDigest(key)).toBe(createHash('sha256').update(key).digest('base64url'));
    expect(licenseKeyDigest(` ${key}\n`)).toBe(licenseKeyDigest(key));
  });

  it('accepts an answer about its key and refuses one about another key, or about no key', async () => {
    expect(await validate({ kwk: licenseKeyDigest(key) })).toMatchObject({ valid: true, code: 'VALID', source: 'online' });
    expect(await validate({ kwk: licenseKeyDigest('KW-0000-0000-0000-0000-0000-0000') })).toMatchObject({ valid: false, code: 'KEY_MISMATCH', source: 'online' });
    expect(await validate({})).toMatchObject({ valid: false, code: 'KEY_MISMATCH' });
  });
});
