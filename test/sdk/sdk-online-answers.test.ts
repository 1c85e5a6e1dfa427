import { createHash, createPublicKey, verify } from 'node:crypto';
import { KeywardenClient } from '../../sdk/src/index.ts';
import { questionOf, questionSlot } from '../../sdk/src/question.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { counting, fetchJwks, inspectableStorage, storedAnswers, unreachable } from './sdk-support.ts';

describe('the client SDK’s signed answers from the real API', () => {
  let stack: ApiStack;
  const jwks = () => fetchJwks(stack);

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
    const server = counting();
    let now = Date.now();
    const sdk = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), fetch: server.fetch, now: () => now });
    expect(await sdk.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online', license: { plan: expect.any(String) } });
    now += 30 * 60_000;
    expect(await sdk.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'cache' });
    expect(server.calls()).toBe(1);
    now += 31 * 60_000;
    expect(await sdk.validate()).toMatchObject({ source: 'online' });
    expect(server.calls()).toBe(2);
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
    const { values, storage } = inspectableStorage();
    const victim = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyA, jwks: await jwks(), fetch: attacker, storage });
    expect(await victim.validate()).toMatchObject({ valid: false, code: 'KEY_MISMATCH', source: 'online' });
    // It really was the server's signed VALID answer about B, echoing the client's own nonce.
    expect(forwarded[0]!.key).toBe(keyB);
    expect(JSON.parse(answers[0]!)).toMatchObject({ valid: true, code: 'VALID', nonce: forwarded[0]!.nonce });
    // Nothing was stored for A, and asking honestly gets A's own answer.
    expect(storedAnswers(values)).toEqual([]);
    swap = false;
    expect(await victim.validate()).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'online' });
    // B's own client, through the same (now honest) path, still accepts its answer.
    const honest = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), fetch: attacker });
    expect(await honest.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'online' });
  });

  it('never serves a stored answer about another key, from cache or offline', async () => {
    const { key: keyB } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const keyA = 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF';
    const { values, storage } = inspectableStorage();
    const b = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), storage });
    expect(await b.validate()).toMatchObject({ valid: true, source: 'online' });
    const [[, storedB]] = storedAnswers(values) as [[string, string]];
    // B's signed answer copied into the slot A's client reads (same question, key A).
    values.set(questionSlot(questionOf({ key: keyA })), storedB);
    const down = unreachable();
    const a = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyA, jwks: await jwks(), storage, fetch: down.fetch });
    // Not taken as a fresh cached answer (the server is asked), nor as the offline fallback.
    expect(await a.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    expect(down.calls()).toBe(1);
    // B's client, offline with the same storage, still falls back to its own answer.
    const bOffline = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: keyB, jwks: await jwks(), storage, fetch: down.fetch });
    expect(await bOffline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
  });

  it('rejects a stored answer that was edited in storage', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const { values, storage } = inspectableStorage();
    const online = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage });
    expect((await online.validate()).source).toBe('online');
    const offline = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage, fetch: unreachable().fetch });
    expect(await offline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
    // Someone stretches the cached answer's lifetime by hand: it no longer verifies, so nothing trustworthy is left.
    const [[slot, stored]] = storedAnswers(values) as [[string, string]];
    const answer = JSON.parse(stored);
    values.set(slot, JSON.stringify({ ...answer, body: answer.body.replace('"cache_ttl":600', '"cache_ttl":999999') }));
    expect(await offline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
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
});
