import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { KeySet, licenseFileHeaders, tokenFromLicenseFile, verifyOfflineToken } from '../src/index.ts';

describe('offline tokens in the SDK', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = randomUUID();
  const now = Date.parse('2030-01-01T00:00:00Z');
  const license = { id: randomUUID(), status: 'ACTIVE', product: 'desk', plan: 'pro', tier: 'pro', features: { export: true }, seat_model: 'DEVICE', seat_limit: 3, expires_at: null };
  let keys: KeySet;
  const sign = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    new SignJWT({ license, ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'kw-license+jwt', ...header })
      .setIssuer('keywarden')
      .setSubject(license.id)
      .setJti(randomUUID())
      .setIssuedAt(now / 1000)
      .setNotBefore(now / 1000)
      .setExpirationTime(now / 1000 + 86_400)
      .sign(privateKey);

  beforeAll(async () => {
    keys = await KeySet.fromJwks({ keys: [{ ...(await exportJWK(publicKey)), kid }] });
  });

  it('checks the domain binding with the API’s rule', async () => {
    const wildcard = await sign({ domain: '*.example.com' });
    expect(verifyOfflineToken(keys, wildcard, { now, domain: 'app.example.com' }).code).toBe('VALID');
    expect(verifyOfflineToken(keys, wildcard, { now, domain: 'example.com' }).code).toBe('VALID');
    expect(verifyOfflineToken(keys, wildcard, { now, domain: 'example.com.evil.net' }).code).toBe('DOMAIN_MISMATCH');
    const exact = await sign({ domain: 'example.com' });
    expect(verifyOfflineToken(keys, exact, { now, domain: 'Example.COM.' }).code).toBe('VALID');
    expect(verifyOfflineToken(keys, exact, { now, domain: 'app.example.com' }).code).toBe('DOMAIN_MISMATCH');
    expect(verifyOfflineToken(keys, exact, { now }).code).toBe('DOMAIN_MISMATCH');
  });

  it('refuses tokens of another type, not yet valid, or lacking features', async () => {
    expect(verifyOfflineToken(keys, await sign({}, { typ: 'JWT' }), { now }).code).toBe('TOKEN_INVALID');
    expect(verifyOfflineToken(keys, await sign({}, { alg: 'EdDSA', kid: 'someone-else' }), { now }).code).toBe('SIGNATURE_INVALID');
    expect(verifyOfflineToken(keys, await sign(), { now: now - 3_600_000 }).code).toBe('TOKEN_INVALID');
    expect(verifyOfflineToken(keys, await sign(), { now, features: ['export', 'sso'] })).toMatchObject({ valid: false, code: 'FEATURES_MISSING' });
    expect(verifyOfflineToken(keys, await sign(), { now, features: ['export'] })).toMatchObject({ valid: true, validUntil: new Date(now + 86_400_000).toISOString() });
  });

  it('reads the token out of a license file, whatever its line endings', async () => {
    const token = await sign();
    const file = ['-----BEGIN KEYWARDEN LICENSE-----', 'License-Id: x', 'Machine: any', '', ...token.match(/.{1,64}/g)!, '-----END KEYWARDEN LICENSE-----', ''].join('\r\n');
    expect(tokenFromLicenseFile(file)).toBe(token);
    expect(licenseFileHeaders(file)).toEqual({ 'License-Id': 'x', Machine: 'any' });
    expect(tokenFromLicenseFile(`  ${token}\n`)).toBe(token);
    expect(() => tokenFromLicenseFile(file.slice(0, 80))).toThrow(/truncated/);
  });

  it('refuses a JWKS with keys it cannot use', async () => {
    await expect(KeySet.fromJwks({ keys: [] })).rejects.toThrow(/no keys/);
    await expect(KeySet.fromJwks({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', kid: 'k' }] })).rejects.toThrow(/not an Ed25519 key/);
  });
});
