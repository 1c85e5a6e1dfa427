import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStorage, KeySet, KeywardenClient, MemoryStorage, verifyOfflineToken, type JsonWebKeySet } from '../../sdk/src/index.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the client SDK against the real API', () => {
  let stack: ApiStack;
  const jwks = async (): Promise<JsonWebKeySet> => (await stack.request('GET', '/.well-known/jwks.json', { token: null })).body;
  const issue = async (licenseId: string, body: Record<string, unknown> = {}) => {
    const issued = await stack.request('POST', `/v1/licenses/${licenseId}/offline-tokens`, { body });
    if (issued.status !== 201) throw new Error(`not issued: ${JSON.stringify(issued.body)}`);
    return issued.body as { id: string; token: string; key_id: string; expires_at: string };
  };
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

  it('signs every validation answer over its exact bytes, verifiable with the JWKS alone', async () => {
    const { key } = await createLicense(stack);
    const [jwk] = (await jwks()).keys as unknown as (Record<string, string> & { kid: string })[];
    const publicKey = createPublicKey({ key: jwk!, format: 'jwk' });
    const raw = async (body: Record<string, unknown>) => {
      const response = await fetch(`${stack.baseUrl}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { bytes: Buffer.from(await response.arrayBuffer()), signature: response.headers.get('keywarden-signature')! };
    };
    const check = ({ bytes, signature }: { bytes: Buffer; signature: string }, asked = key) => {
      const [protectedHeader, empty, sig] = signature.split('.');
      expect(empty).toBe('');
      // Bound to the key asked about: `kwk` is base64url(SHA-256(key)).
      expect(JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: jwk!.kid, kwk: createHash('sha256').update(asked).digest('base64url') });
      return verify(null, Buffer.from(`${protectedHeader}.${bytes.toString('base64url')}`), publicKey, Buffer.from(sig!, 'base64url'));
    };
    // A cache miss, then memoised cache hits without a nonce, then with nonces (signed per request).
    const answers = [await raw({ key }), await raw({ key }), await raw({ key }), await raw({ key, nonce: 'n-1' }), await raw({ key, nonce: 'n-2' })];
    for (const answer of answers) expect(check(answer)).toBe(true);
    expect(JSON.parse(answers[3]!.bytes.toString())).toMatchObject({ code: 'VALID', nonce: 'n-1' });
    expect(JSON.parse(answers[4]!.bytes.toString()).nonce).toBe('n-2');
    // One byte changed, and the signature no longer holds.
    const tampered = Buffer.from(answers[3]!.bytes.toString().replace('"code":"VALID"', '"code":"VALIX"'));
    expect(check({ bytes: tampered, signature: answers[3]!.signature })).toBe(false);
    const unknown = await raw({ key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', nonce: 'n-3' });
    expect(check(unknown, 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF')).toBe(true);
    // Another spelling of the same key shares the license's memo, but within the reuse second
    // it still gets an answer signed for its own digest, never the first spelling's.
    const spelling = key.toLowerCase();
    const reused = [await raw({ key }), await raw({ key: spelling }), await raw({ key })];
    expect(JSON.parse(reused[1]!.bytes.toString()).code).toBe('VALID');
    expect([check(reused[0]!), check(reused[1]!, spelling), check(reused[2]!)]).toEqual([true, true, true]);
  });

  it('validates online, then answers from its cache for cache_ttl without calling the server', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 3600 });
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    let now = Date.now();
    const sdk = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), fetch: counting, now: () => now });
    expect(await sdk.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online', license: { plan: expect.any(String) } });
    now += 30 * 60_000;
    expect(await sdk.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'cache' });
    expect(calls).toBe(1);
    now += 31 * 60_000;
    expect(await sdk.validate()).toMatchObject({ source: 'online' });
    expect(calls).toBe(2);
    expect((await sdk.validate({ features: ['sso'] })).code).toBe('FEATURES_MISSING');
  });

  it('rejects a tampered answer and a replayed one', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    const captured: { body: string; headers: Headers }[] = [];
    let mode: 'pass' | 'tamper' | 'replay' = 'pass';
    const meddling: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = await response.text();
      if (mode === 'pass') captured.push({ body, headers: response.headers });
      if (mode === 'tamper') return new Response(body.replace('"seat_limit":1', '"seat_limit":9'), { status: response.status, headers: response.headers });
      if (mode === 'replay') return new Response(captured[0]!.body, { status: 200, headers: captured[0]!.headers });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const sdk = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), fetch: meddling });
    expect((await sdk.validate()).code).toBe('VALID');
    mode = 'tamper';
    expect(await sdk.validate({ force: true })).toMatchObject({ valid: false, code: 'SIGNATURE_INVALID' });
    mode = 'replay';
    expect(await sdk.validate({ force: true })).toMatchObject({ valid: false, code: 'NONCE_MISMATCH' });
  });

  it('rejects a genuinely signed answer about another key (a man in the middle swapping keys)', async () => {
    // The client holds key A (unknown to the server); the attacker holds a valid key B. It
    // forwards the client's request with B in place of A, nonce untouched, and hands back the
    // server's genuine, correctly signed VALID answer about B.
    const { key: keyB } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const keyA = 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF';
    let swap = true;
    const forwarded: Record<string, unknown>[] = [];
    const answers: string[] = [];
    const attacker: typeof fetch = async (input, init) => {
      const request = JSON.parse(String(init!.body)) as Record<string, unknown>;
      const sent = swap ? { ...request, key: keyB } : request;
      forwarded.push(sent);
      const response = await fetch(input, { ...init, body: JSON.stringify(sent) });
      const body = await response.text();
      answers.push(body);
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const values = new Map<string, string>();
    const storage = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
    const victim = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyA, jwks: await jwks(), fetch: attacker, storage });
    expect(await victim.validate()).toMatchObject({ valid: false, code: 'KEY_MISMATCH', source: 'online' });
    // It really was the server's signed VALID answer about B, echoing the client's own nonce.
    expect(forwarded[0]!.key).toBe(keyB);
    expect(JSON.parse(answers[0]!)).toMatchObject({ valid: true, code: 'VALID', nonce: forwarded[0]!.nonce });
    // Nothing was stored for A, and asking honestly gets A's own answer.
    expect([...values.keys()].some((k) => k.startsWith('keywarden:answer:'))).toBe(false);
    swap = false;
    expect(await victim.validate()).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'online' });
    // B's own client, through the same (now honest) path, still accepts its answer.
    const honest = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), fetch: attacker });
    expect(await honest.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online' });
  });

  it('never serves a stored answer about another key, from cache or offline', async () => {
    const { key: keyB } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const keyA = 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF';
    const values = new Map<string, string>();
    const storage = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
    const b = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), storage });
    expect(await b.validate()).toMatchObject({ valid: true, source: 'online' });
    const [, storedB] = [...values].find(([k]) => k.startsWith('keywarden:answer:'))!;
    // B's signed answer copied into the slot A's client reads (same question, key A).
    const slotA = `keywarden:answer:${createHash('sha256').update(JSON.stringify([keyA, null, null, []])).digest('base64url')}`;
    values.set(slotA, storedB);
    let calls = 0;
    const down: typeof fetch = () => {
      calls += 1;
      return Promise.reject(new TypeError('network down'));
    };
    const a = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyA, jwks: await jwks(), storage, fetch: down });
    // Not taken as a fresh cached answer (the server is asked), nor as the offline fallback.
    expect(await a.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    expect(calls).toBe(1);
    // B's client, offline with the same storage, still falls back to its own answer.
    const bOffline = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), storage, fetch: down });
    expect(await bOffline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
  });

  it('activates, heartbeats and deactivates, with the API’s refusal codes', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    const jwksNow = await jwks();
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, fingerprint: 'laptop', jwks: jwksNow });
    const desktop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, fingerprint: 'desktop', jwks: jwksNow });
    expect(await laptop.activate({ hostname: 'ada-mbp' })).toMatchObject({ ok: true, created: true, activation: { fingerprint: 'laptop' } });
    expect(await laptop.activate()).toMatchObject({ ok: true, created: false });
    expect(await desktop.activate()).toMatchObject({ ok: false, code: 'SEAT_LIMIT_EXCEEDED' });
    expect((await laptop.validate()).code).toBe('VALID');
    expect((await desktop.validate()).code).toBe('NOT_ACTIVATED');
    expect(await laptop.heartbeat()).toMatchObject({ ok: true, activation: { id: expect.any(String) } });
    expect(await desktop.heartbeat()).toMatchObject({ ok: false, code: 'NOT_ACTIVATED' });
    expect(await laptop.deactivate()).toMatchObject({ ok: true, license: { current_activations: 0 } });
    const stranger = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', fingerprint: 'x', jwks: jwksNow });
    expect(await stranger.activate()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
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

  it('rejects a stored answer that was edited in storage', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const values = new Map<string, string>();
    const storage = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
    const online = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage });
    expect((await online.validate()).source).toBe('online');
    const offline = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage, fetch: () => Promise.reject(new TypeError('network down')) });
    expect(await offline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
    // Someone stretches the cached answer's lifetime by hand: it no longer verifies, so nothing trustworthy is left.
    const [slot, stored] = [...values].find(([k]) => k.startsWith('keywarden:answer:'))!;
    const answer = JSON.parse(stored);
    values.set(slot, JSON.stringify({ ...answer, body: answer.body.replace('"cache_ttl":600', '"cache_ttl":999999') }));
    expect(await offline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
  });
});
