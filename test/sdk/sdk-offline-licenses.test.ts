import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStorage, KeySet, KeywardenClient, MemoryStorage, verifyOfflineToken } from '../../sdk/src/index.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { fetchJwks, issueOfflineToken } from './sdk-support.ts';

const DAY = 24 * 3_600_000;

describe('the client SDK offline, with tokens from the real API', () => {
  let stack: ApiStack;
  const jwks = () => fetchJwks(stack);
  const issue = (licenseId: string, body: Record<string, unknown> = {}) => issueOfflineToken(stack, licenseId, body);
  /** Swaps one segment of a compact JWS for another, keeping the rest. */
  const withPayload = (token: string, change: (claims: Record<string, any>) => void) => {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    change(claims);
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  it('logs each offline token (id and hash, never the token) and caps its expiry at the license’s', async () => {
    const { id } = await createLicense(stack, {}, { expires_at: '2030-01-01T00:00:00Z' });
    const issued = await issue(id, { fingerprint: 'laptop', expires_at: '2031-01-01T00:00:00Z' });
    expect(issued.expires_at).toBe('2030-01-01T00:00:00.000Z');
    const claims = JSON.parse(Buffer.from(issued.token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: id, jti: issued.id, exp: Date.parse('2030-01-01T00:00:00Z') / 1000, fingerprint: 'laptop', license: { id, features: { export: true } } });
    const rows = await stack.db.orm.em.fork().getConnection().execute(`select * from offline_token where license_id = ?`, [id]);
    expect(rows).toEqual([expect.objectContaining({ id: issued.id, token_sha256: createHash('sha256').update(issued.token).digest('hex'), fingerprint: 'laptop', issued_by: 'admin:bootstrap-admin' })]);
    const everything = JSON.stringify(await stack.db.orm.em.fork().getConnection().execute(`select o.*, a.* from offline_token o join audit_event a on a.license_id = o.license_id`));
    expect(everything).not.toContain(issued.token.split('.')[2]);
    const keys = await stack.db.orm.em.fork().getConnection().execute(`select private_key_encrypted from signing_key`);
    for (const row of keys) expect(row.private_key_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses another license’s offline token once it knows which license its key opens', async () => {
    const mine = await createLicense(stack);
    const theirs = await createLicense(stack);
    const foreign = await issue(theirs.id, { ttl_days: 5 });
    const sdk = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: mine.key, jwks: await jwks() });
    expect(await sdk.validate()).toMatchObject({ valid: true, source: 'online', license: { id: mine.id } });
    expect(await sdk.installOfflineToken(foreign.token)).toMatchObject({ valid: false, code: 'KEY_MISMATCH' });
    expect(await sdk.installOfflineToken((await issue(mine.id, { ttl_days: 5 })).token)).toMatchObject({ valid: true, license: { id: mine.id } });
  });

  it('ends a perpetual license’s offline token within ten years, however late it is asked to end', async () => {
    const { id } = await createLicense(stack, {}, { expires_at: null });
    const before = Date.now();
    const issued = await issue(id, { expires_at: '9999-01-01T00:00:00Z' });
    const ends = Date.parse(issued.expires_at);
    expect(ends).toBeGreaterThanOrEqual(before + 3650 * 86_400_000 - 1000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 3650 * 86_400_000);
  });

  it('rejects a tampered token, an expired one and one for another machine; trusts a rotated-out key until it is retired', async () => {
    const { id } = await createLicense(stack);
    const original = await issue(id, { fingerprint: 'laptop', ttl_days: 10 });
    const exp = Date.parse(original.expires_at);
    const keysBefore = await KeySet.fromJwks(await jwks());
    const check = (keys: KeySet, token: string, fingerprint = 'laptop', now = Date.now()) => verifyOfflineToken(keys, token, { now, fingerprint });

    expect(check(keysBefore, original.token)).toMatchObject({ valid: true, code: 'VALID', source: 'offline-token', license: { id } });
    expect(check(keysBefore, withPayload(original.token, (claims) => (claims.license.seat_limit = 1000)))).toMatchObject({ valid: false, code: 'SIGNATURE_INVALID' });
    expect(check(keysBefore, withPayload(original.token, (claims) => (claims.exp += 365 * 86_400)))).toMatchObject({ valid: false, code: 'SIGNATURE_INVALID' });
    expect(check(keysBefore, original.token, 'laptop', exp)).toMatchObject({ valid: false, code: 'TOKEN_EXPIRED' });
    expect(check(keysBefore, original.token, 'laptop', exp - 1000).valid).toBe(true);
    expect(check(keysBefore, original.token, 'desktop')).toMatchObject({ valid: false, code: 'FINGERPRINT_MISMATCH' });
    expect(check(keysBefore, 'not.a.token')).toMatchObject({ valid: false });

    // Rotation: a new key signs, the old one still verifies.
    const rotated = await stack.request('POST', '/v1/signing-keys/rotate');
    expect(rotated.status).toBe(201);
    const fresh = await issue(id, { fingerprint: 'laptop' });
    expect(fresh.key_id).toBe(rotated.body.id);
    expect(fresh.key_id).not.toBe(original.key_id);
    const keysAfterRotation = await KeySet.fromJwks(await jwks());
    expect(check(keysAfterRotation, original.token)).toMatchObject({ valid: true, code: 'VALID' });
    expect(check(keysAfterRotation, fresh.token).valid).toBe(true);
    // A client that shipped before the rotation does not know the new key.
    expect(check(keysBefore, fresh.token)).toMatchObject({ valid: false, code: 'SIGNATURE_INVALID' });

    // Retirement: the old key leaves the JWKS, and what it signed is no longer trusted.
    expect((await stack.request('POST', `/v1/signing-keys/${original.key_id}/retire`)).body.status).toBe('RETIRED');
    const keysAfterRetirement = await KeySet.fromJwks(await jwks());
    expect(keysAfterRetirement.kids).toEqual([rotated.body.id]);
    expect(check(keysAfterRetirement, original.token)).toMatchObject({ valid: false, code: 'SIGNATURE_INVALID' });
    expect(check(keysAfterRetirement, fresh.token).valid).toBe(true);
    // Validation answers are signed by the new key.
    const sdk = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: (await createLicense(stack)).key, jwks: await jwks() });
    expect(await sdk.validate()).toMatchObject({ valid: true, source: 'online' });
  });

  it('keeps working when the server goes away mid-session: last signed answer, then the offline token, until they end', async () => {
    // A replica of its own, so that closing it leaves the shared stack alone.
    const replica = await startReplica(stack);
    const baseUrl = replica.url;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'keywarden-sdk-'));
    try {
      const { id, key } = await createLicense(stack, { cache_ttl_seconds: 600, seat_limit: 2 });
      let now = Date.now();
      const options = { baseUrl, licenseKey: key, fingerprint: 'laptop', jwks: await jwks(), now: () => now, timeoutMs: 2000 };
      const storage = new FileStorage(path.join(folder, 'license-state.json'));
      const sdk = new KeywardenClient({ ...options, storage });
      expect((await sdk.activate()).ok).toBe(true);
      expect(await sdk.validate()).toMatchObject({ valid: true, source: 'online' });
      const file = await stack.request('POST', `/v1/licenses/${id}/offline-tokens?format=file`, { body: { fingerprint: 'laptop', ttl_days: 3 } });
      expect(await sdk.installOfflineToken(file.body)).toMatchObject({ valid: true, source: 'offline-token' });
      // Another machine cannot install this machine's license file.
      const desktop = new KeywardenClient({ ...options, fingerprint: 'desktop' });
      expect(await desktop.installOfflineToken(file.body)).toMatchObject({ valid: false, code: 'FINGERPRINT_MISMATCH' });

      await replica.close();
      expect(await sdk.validate({ force: true })).toMatchObject({ valid: true, code: 'VALID', source: 'signed-response' });
      // After a restart (same storage), past the answer's cache_ttl: the offline token.
      now += 20 * 60_000;
      const restarted = new KeywardenClient({ ...options, storage: new FileStorage(path.join(folder, 'license-state.json')) });
      expect(await restarted.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'offline-token', license: { id } });
      // The clock set back a day: offline answers are refused.
      now -= DAY;
      expect(await restarted.validate()).toMatchObject({ valid: false, code: 'CLOCK_TAMPERED' });
      // Checking or installing a token directly is refused the same way.
      expect(await restarted.verifyOfflineToken(file.body)).toMatchObject({ valid: false, code: 'CLOCK_TAMPERED' });
      expect(await restarted.installOfflineToken(file.body)).toMatchObject({ valid: false, code: 'CLOCK_TAMPERED' });
      // Past the token's end.
      now += 5 * DAY;
      expect(await restarted.validate()).toMatchObject({ valid: false, code: 'TOKEN_EXPIRED' });
      // Another machine never had anything offline.
      const other = new KeywardenClient({ ...options, fingerprint: 'desktop', storage: new MemoryStorage() });
      expect(await other.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
