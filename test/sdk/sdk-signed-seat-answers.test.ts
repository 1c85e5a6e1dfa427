import { randomBytes } from 'node:crypto';
import { KeySet, KeywardenClient, licenseKeyDigest, SIGNATURE_HEADER, type JsonWebKeySet } from '../../sdk/src/index.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { fetchJwks } from './sdk-support.ts';

/** One raw call to a seat endpoint, as a client would make it: the status, the exact bytes and the signature header. */
async function seatCall(stack: ApiStack, path: string, body: Record<string, unknown>) {
  const response = await fetch(stack.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), signature: response.headers.get(SIGNATURE_HEADER) };
}

type Answer = { status: number; text: string; signature: string | null };

/** A man in the middle: forwards each call to the real server, letting `edit` change the request body and the answer. */
function inTheMiddle(edit: { request?: (body: Record<string, unknown>) => Record<string, unknown>; answer?: (answer: Answer, path: string) => Answer }): typeof fetch {
  return async (input, init) => {
    const request = JSON.parse(String(init!.body)) as Record<string, unknown>;
    const response = await fetch(input, { ...init, body: JSON.stringify(edit.request ? edit.request(request) : request) });
    const genuine = { status: response.status, text: await response.text(), signature: response.headers.get(SIGNATURE_HEADER) };
    const sent = edit.answer ? edit.answer(genuine, new URL(String(input)).pathname) : genuine;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(sent.signature ? { [SIGNATURE_HEADER]: sent.signature } : {}) };
    return new Response(sent.text, { status: sent.status, headers });
  };
}

/** Activate, deactivate and heartbeat answers, refusals included, are signed like validation answers, and the SDK trusts no other. */
describe('signed activation, deactivation and heartbeat answers', () => {
  let stack: ApiStack;
  let jwks: JsonWebKeySet;
  let keys: KeySet;

  beforeAll(async () => {
    stack = await startApiStack();
    jwks = await fetchJwks(stack);
    keys = await KeySet.fromJwks(jwks);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Verifies an answer with the JWKS alone over its exact bytes, and returns its protected header and body. */
  function verified(answer: { bytes: Uint8Array; signature: string | null }) {
    expect(answer.signature).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const header = keys.verifyDetached(answer.signature!, answer.bytes);
    return { header, body: JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as Record<string, unknown> };
  }

  it('signs each answer of the three endpoints, success or refusal, over its exact bytes, bound to the key and echoing the nonce', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    const unknownKey = `KW-${randomBytes(8).toString('hex').toUpperCase()}`;
    const calls: [string, string, Record<string, unknown>, number, string][] = [
      ['/v1/activate', key, { fingerprint: 'laptop' }, 201, 'ACTIVATED'],
      ['/v1/activate', key, { fingerprint: 'laptop' }, 200, 'ACTIVATED'],
      ['/v1/activate', key, { fingerprint: 'desktop' }, 422, 'SEAT_LIMIT_EXCEEDED'],
      ['/v1/activate', unknownKey, { fingerprint: 'laptop' }, 404, 'NOT_FOUND'],
      ['/v1/heartbeat', key, { fingerprint: 'laptop' }, 200, 'LEASE_RENEWED'],
      ['/v1/heartbeat', key, { fingerprint: 'desktop' }, 422, 'NOT_ACTIVATED'],
      ['/v1/heartbeat', unknownKey, { fingerprint: 'laptop' }, 404, 'NOT_FOUND'],
      ['/v1/deactivate', key, { fingerprint: 'laptop' }, 200, 'DEACTIVATED'],
      ['/v1/deactivate', key, { fingerprint: 'laptop' }, 422, 'NOT_ACTIVATED'],
      ['/v1/deactivate', unknownKey, { fingerprint: 'laptop' }, 404, 'NOT_FOUND'],
    ];
    for (const [path, asKey, request, status, code] of calls) {
      const nonce = randomBytes(12).toString('base64url');
      const before = Date.now();
      const answer = await seatCall(stack, path, { key: asKey, ...request, nonce });
      const { header, body } = verified(answer);
      expect([path, code, answer.status, header.alg, header.kwk, body.code, body.nonce]).toEqual([path, code, status, 'EdDSA', licenseKeyDigest(asKey), code, nonce]);
      expect(Date.parse(body.ts as string)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(body.ts as string)).toBeLessThanOrEqual(Date.now());
      // The signature is over these very bytes: one byte changed and it no longer verifies.
      const tampered = Uint8Array.from(answer.bytes);
      const at = tampered.length - 3;
      tampered[at] = tampered[at]! ^ 1;
      expect(() => keys.verifyDetached(answer.signature!, tampered)).toThrow('the signature does not match');
    }
    // Without a nonce the answer is still signed, and carries none.
    const plain = verified(await seatCall(stack, '/v1/heartbeat', { key, fingerprint: 'laptop' }));
    expect([plain.header.kwk, plain.body.code, 'nonce' in plain.body]).toEqual([licenseKeyDigest(key), 'NOT_ACTIVATED', false]);
    // A malformed request is a problem+json error, and is not signed.
    const malformed = await seatCall(stack, '/v1/activate', { key, fingerprint: 'laptop', nonce: '' });
    expect([malformed.status, malformed.signature]).toEqual([400, null]);
  });

  it('lets the SDK helpers through with genuine answers, refusals included, and their ts', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: 'laptop' });
    const desktop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: 'desktop' });
    expect(await laptop.activate()).toMatchObject({ ok: true, created: true, ts: expect.any(String) });
    expect(await desktop.activate()).toMatchObject({ ok: false, code: 'SEAT_LIMIT_EXCEEDED' });
    expect(await laptop.heartbeat()).toMatchObject({ ok: true, ts: expect.any(String) });
    expect(await desktop.heartbeat()).toMatchObject({ ok: false, code: 'NOT_ACTIVATED' });
    expect(await laptop.deactivate()).toMatchObject({ ok: true, ts: expect.any(String) });
    expect(await laptop.deactivate()).toMatchObject({ ok: false, code: 'NOT_ACTIVATED' });
  });

  it('reads whether a call took the seat from the signed body, not from the HTTP status someone may change', async () => {
    const { key } = await createLicense(stack, { seat_limit: 2 });
    const statusFlipped = inTheMiddle({ answer: (answer) => ({ ...answer, status: answer.status === 201 ? 200 : 201 }) });
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: 'laptop', fetch: statusFlipped });
    expect(await laptop.activate()).toMatchObject({ ok: true, created: true });
    expect(await laptop.activate()).toMatchObject({ ok: true, created: false });
  });

  it('refuses an answer decided for another machine, its fingerprint changed on the way (SCOPE_MISMATCH)', async () => {
    const { key } = await createLicense(stack, { seat_limit: 2 });
    const desktop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: 'desktop' });
    expect(await desktop.activate()).toMatchObject({ ok: true, created: true });
    const redirected = inTheMiddle({ request: (body) => ({ ...body, fingerprint: 'desktop' }) });
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: ' laptop ', fetch: redirected });
    expect(await laptop.activate()).toMatchObject({ ok: false, code: 'SCOPE_MISMATCH' });
    expect(await laptop.heartbeat()).toMatchObject({ ok: false, code: 'SCOPE_MISMATCH' });
    expect(await laptop.deactivate()).toMatchObject({ ok: false, code: 'SCOPE_MISMATCH' });
    // Unredirected, the same client is answered for itself (the fingerprint as read: trimmed).
    const honest = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: ' laptop ' });
    expect(await honest.activate()).toMatchObject({ ok: true, created: true, activation: { fingerprint: 'laptop' } });
  });

  it('refuses a tampered or unsigned answer (SIGNATURE_INVALID), success or refusal', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks };
    // A refusal dressed up as a success, a success dressed up as a refusal.
    const forged = inTheMiddle({ answer: (answer) => ({ ...answer, text: answer.text.replace('"SEAT_LIMIT_EXCEEDED"', '"ACTIVATED"').replace('"valid":true', '"valid":false') }) });
    const laptop = new KeywardenClient({ ...options, fingerprint: 'laptop', fetch: forged });
    const desktop = new KeywardenClient({ ...options, fingerprint: 'desktop', fetch: forged });
    expect(await laptop.activate()).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(await desktop.activate()).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const edited = inTheMiddle({ answer: (answer) => ({ ...answer, text: answer.text.replace('"detail":"', '"detail":"!') }) });
    const unsigned = inTheMiddle({ answer: (answer) => ({ ...answer, signature: null }) });
    for (const fetch of [edited, unsigned]) {
      const client = new KeywardenClient({ ...options, fingerprint: 'laptop', fetch });
      const results = [await client.heartbeat(), await client.deactivate(), await client.activate()];
      expect(results.map((result) => [result.ok, !result.ok && result.code])).toEqual([[false, 'SIGNATURE_INVALID'], [false, 'SIGNATURE_INVALID'], [false, 'SIGNATURE_INVALID']]);
    }
    // Unaltered, the same calls go through.
    const direct = new KeywardenClient({ ...options, fingerprint: 'laptop' });
    expect([(await direct.heartbeat()).ok, (await direct.deactivate()).ok, (await direct.activate()).ok]).toEqual([true, true, true]);
  });

  it('refuses a genuine answer replayed to another request (NONCE_MISMATCH)', async () => {
    const { key } = await createLicense(stack, { seat_limit: 1 });
    // The first answer on each path is recorded, then replayed to every later call on it.
    const recorded = new Map<string, Answer>();
    const replaying = inTheMiddle({
      answer: (answer, path) => {
        if (!recorded.has(path)) recorded.set(path, answer);
        return recorded.get(path)!;
      },
    });
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: key, jwks, fingerprint: 'laptop', fetch: replaying });
    expect(await laptop.activate()).toMatchObject({ ok: true, created: true });
    expect(await laptop.heartbeat()).toMatchObject({ ok: true });
    expect(await laptop.deactivate()).toMatchObject({ ok: true });
    // The seat is free now: a replayed ACTIVATED hides that activating again took it; a replayed
    // LEASE_RENEWED or DEACTIVATED hides what the server said to this very call.
    expect(await laptop.activate()).toMatchObject({ ok: false, code: 'NONCE_MISMATCH' });
    expect(await laptop.heartbeat()).toMatchObject({ ok: false, code: 'NONCE_MISMATCH' });
    expect(await laptop.deactivate()).toMatchObject({ ok: false, code: 'NONCE_MISMATCH' });
  });

  it('refuses a genuine answer about another key swapped in on the way (KEY_MISMATCH)', async () => {
    const [mine, theirs] = [await createLicense(stack, { seat_limit: 1 }), await createLicense(stack, { seat_limit: 5 })];
    const swapping = inTheMiddle({ request: (body) => ({ ...body, key: theirs.key }) });
    // The machine's own license is refused (its seat is taken); the answers about the other license would let it run.
    const other = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: mine.key, jwks, fingerprint: 'other' });
    expect(await other.activate()).toMatchObject({ ok: true });
    const laptop = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: mine.key, jwks, fingerprint: 'laptop', fetch: swapping });
    const results = [await laptop.activate(), await laptop.heartbeat(), await laptop.deactivate()];
    expect(results.map((result) => [result.ok, !result.ok && result.code])).toEqual([[false, 'KEY_MISMATCH'], [false, 'KEY_MISMATCH'], [false, 'KEY_MISMATCH']]);
    // Asked without the swap, the server refuses this machine a seat on its own license.
    const direct = new KeywardenClient({ baseUrl: stack.baseUrl, licenseKey: mine.key, jwks, fingerprint: 'laptop' });
    expect(await direct.activate()).toMatchObject({ ok: false, code: 'SEAT_LIMIT_EXCEEDED' });
  });
});
