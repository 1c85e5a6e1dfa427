import { KeywardenClient } from '../../sdk/src/index.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { fetchJwks, inspectableStorage, issueOfflineToken, storedAnswers, storedRefusals, unreachable } from './sdk-support.ts';

/**
 * Offline tokens cannot be revoked on the server. A client that was told online, in a signed
 * answer, that its license is refused (revoked, suspended, expired) remembers it: a token issued
 * before that answer no longer stands in for the server once the answer is stale and the server
 * is unreachable.
 */
describe('the client SDK offline, after the server refused the license', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A license with a one-minute cache_ttl, and two clients on one storage: one online, one that cannot reach the server. */
  async function installation(policy: Record<string, unknown> = {}, options: { fingerprint?: string } = {}) {
    const { id, key } = await createLicense(stack, { cache_ttl_seconds: 60, ...policy });
    const { values, storage } = inspectableStorage();
    let now = Date.now();
    const base = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await fetchJwks(stack), storage, now: () => now, ...options };
    return {
      id,
      key,
      values,
      online: new KeywardenClient(base),
      offline: new KeywardenClient({ ...base, fetch: unreachable().fetch }),
      /** Another client on the same storage and clock that cannot reach the server (a restart). */
      restarted: () => new KeywardenClient({ ...base, fetch: unreachable().fetch }),
      /** Past every answer's cache_ttl (the client's clock only; the server's stays real). */
      stale: () => void (now += 5 * 60_000),
    };
  }
  const command = async (id: string, operation: 'revoke' | 'suspend' | 'reinstate') => {
    const done = await stack.request('POST', `/v1/licenses/${id}/${operation}`, { body: { reason: `test ${operation}` } });
    if (done.status !== 200) throw new Error(`${operation} failed: ${JSON.stringify(done.body)}`);
  };
  /** Waits until a token issued now has an `iat` (whole seconds) after this instant. */
  const pastSecondOf = async (ts: string) => {
    const wait = (Math.floor(Date.parse(ts) / 1000) + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 5));
  };

  it('refuses the token installed before the license was revoked, from the license file too, once the REVOKED answer is stale', async () => {
    const app = await installation();
    expect(await app.online.validate()).toMatchObject({ valid: true, source: 'online' });
    expect(await app.online.validate({ features: ['export'] })).toMatchObject({ valid: true, source: 'online' });
    const file = await stack.request('POST', `/v1/licenses/${app.id}/offline-tokens?format=file`, { body: { ttl_days: 30 } });
    expect(await app.online.installOfflineToken(file.body)).toMatchObject({ valid: true, source: 'offline-token' });
    expect(storedRefusals(app.values)).toEqual([]);

    await command(app.id, 'revoke');
    expect(await app.online.validate({ force: true })).toMatchObject({ valid: false, code: 'REVOKED', source: 'online' });
    // Within its cache_ttl the signed REVOKED answer itself stands in.
    expect(await app.offline.validate({ force: true })).toMatchObject({ valid: false, code: 'REVOKED', source: 'signed-response' });
    // The VALID answer to the features question, dated before the refusal, no longer does (even inside its cache_ttl).
    expect(await app.offline.validate({ features: ['export'] })).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });

    app.stale();
    expect(await app.offline.validate()).toMatchObject({ valid: false, code: 'TOKEN_REVOKED', source: 'offline-token', license: { id: app.id, status: 'REVOKED' } });
    expect((await app.offline.validate()).detail).toContain('REVOKED');
    // The same token, through the license file: neither installed again nor vouched for.
    expect(await app.offline.installOfflineToken(file.body)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    expect(await app.offline.verifyOfflineToken(file.body)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    // A restarted client on the same storage remembers.
    expect(await app.restarted().validate()).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });

  it('trusts a token issued after the license was reinstated, and the old one again once a signed answer says VALID', async () => {
    const app = await installation();
    expect(await app.online.validate()).toMatchObject({ valid: true });
    const old = await issueOfflineToken(stack, app.id, { ttl_days: 30 });
    expect(await app.online.installOfflineToken(old.token)).toMatchObject({ valid: true });

    await command(app.id, 'suspend');
    const suspended = await app.online.validate({ force: true });
    expect(suspended).toMatchObject({ valid: false, code: 'SUSPENDED', source: 'online' });
    app.stale();
    expect(await app.offline.validate()).toMatchObject({ valid: false, code: 'TOKEN_REVOKED', source: 'offline-token' });

    // The seller reinstates the license and sends a new license file; the client is still offline.
    await command(app.id, 'reinstate');
    await pastSecondOf(suspended.ts!);
    const fresh = await issueOfflineToken(stack, app.id, { ttl_days: 30 });
    expect(await app.offline.installOfflineToken(fresh.token)).toMatchObject({ valid: true, code: 'VALID' });
    expect(await app.offline.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'offline-token' });
    expect(await app.offline.installOfflineToken(old.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });

    // Back online: the signed VALID answer is newer than the refusal, which is forgotten.
    expect(await app.online.validate({ force: true })).toMatchObject({ valid: true, code: 'VALID', source: 'online' });
    expect(storedRefusals(app.values)).toEqual([]);
    expect(await app.offline.installOfflineToken(old.token)).toMatchObject({ valid: true, code: 'VALID' });
    app.stale();
    expect(await app.offline.validate()).toMatchObject({ valid: true, source: 'offline-token' });
  });

  it('keeps trusting the token after refusals about this machine or this question, not the license', async () => {
    const app = await installation({ seat_limit: 1 }, { fingerprint: 'laptop' });
    const token = await issueOfflineToken(stack, app.id, { fingerprint: 'laptop', ttl_days: 30 });
    expect(await app.online.installOfflineToken(token.token)).toMatchObject({ valid: true });
    expect(await app.online.validate()).toMatchObject({ valid: false, code: 'NOT_ACTIVATED', source: 'online' });
    expect((await app.online.activate()).ok).toBe(true);
    expect(await app.online.validate({ features: ['sso'] })).toMatchObject({ valid: false, code: 'FEATURES_MISSING', source: 'online' });
    expect(storedRefusals(app.values)).toEqual([]);
    app.stale();
    expect(await app.offline.validate()).toMatchObject({ valid: true, code: 'VALID', source: 'offline-token' });
  });

  it('refuses the token when the stored refusal is edited or swapped; only deleting it (or the state) forgets, until the next online answer', async () => {
    const app = await installation();
    expect(await app.online.validate()).toMatchObject({ valid: true });
    const [[, validRecord]] = storedAnswers(app.values) as [[string, string]];
    const token = await issueOfflineToken(stack, app.id, { ttl_days: 30 });
    expect(await app.online.installOfflineToken(token.token)).toMatchObject({ valid: true });
    await command(app.id, 'revoke');
    expect(await app.online.validate({ force: true })).toMatchObject({ code: 'REVOKED' });
    app.stale();
    const [[slot, genuine]] = storedRefusals(app.values) as [[string, string]];
    const record = JSON.parse(genuine) as { v: number; body: string; signature: string };

    // Another license's genuine refusal, for another key.
    const other = await installation();
    expect(await other.online.validate()).toMatchObject({ valid: true });
    await command(other.id, 'suspend');
    expect(await other.online.validate({ force: true })).toMatchObject({ code: 'SUSPENDED' });
    const [[, foreign]] = storedRefusals(other.values) as [[string, string]];

    const answer = JSON.parse(validRecord) as { body: string; signature: string };
    const edits = {
      'made VALID': { ...record, body: record.body.replace('"valid":false', '"valid":true').replace('"code":"REVOKED"', '"code":"VALID"') },
      'backdated': { ...record, body: record.body.replace(/"ts":"[^"]+"/, '"ts":"2000-01-01T00:00:00.000Z"') },
      'another license': { ...record, body: record.body.replaceAll(app.id, other.id) },
      'the genuine VALID answer from before': { v: 1, body: answer.body, signature: answer.signature },
      'another key’s genuine refusal': JSON.parse(foreign),
      'another format': { ...record, v: 2 },
      'not JSON': 'revoked? no',
    };
    const verdicts: Record<string, string> = {};
    for (const [edit, value] of Object.entries(edits)) {
      app.values.set(slot, typeof value === 'string' ? value : JSON.stringify(value));
      verdicts[edit] = `${(await app.offline.validate()).code} ${(await app.offline.installOfflineToken(token.token)).code}`;
    }
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(edits).map((edit) => [edit, 'TOKEN_REVOKED TOKEN_REVOKED'])));
    // An unverifiable record gives way to the next signed answer (here REVOKED again).
    expect(await app.online.validate({ force: true })).toMatchObject({ code: 'REVOKED' });
    expect(await app.offline.validate()).toMatchObject({ code: 'TOKEN_REVOKED', license: { status: 'REVOKED' } });

    // What storage alone cannot hold: deleting the record forgets the refusal (see the README)…
    app.values.delete(slot);
    expect(await app.offline.validate()).toMatchObject({ valid: true, source: 'offline-token' });
    // …deleting the whole state takes the installed token with it, though the license file can be installed again…
    app.values.clear();
    expect(await app.offline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    expect(await app.offline.installOfflineToken(token.token)).toMatchObject({ valid: true });
    // …and the next online answer brings the refusal back.
    expect(await app.online.validate()).toMatchObject({ valid: false, code: 'REVOKED', source: 'online' });
    app.stale();
    expect(await app.offline.validate()).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });
});
