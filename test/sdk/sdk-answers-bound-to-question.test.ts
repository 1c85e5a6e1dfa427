import { KeywardenClient } from '../../sdk/src/index.ts';
import { questionNonce, questionOf, questionSlot } from '../../sdk/src/question.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { counting, fetchJwks, inspectableStorage, issueOfflineToken, storedAnswers, unreachable } from './sdk-support.ts';

/** A stored signed answer (cache or offline fallback) answers only the very question it was asked for. */
describe('the client SDK’s stored answers, bound to their question', () => {
  let stack: ApiStack;
  const jwks = () => fetchJwks(stack);

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('never answers one machine from the answer stored for another, from cache or offline', async () => {
    const { id, key } = await createLicense(stack, { cache_ttl_seconds: 600, seat_limit: 2 });
    const { values, storage } = inspectableStorage();
    const server = counting();
    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage };
    const laptop = new KeywardenClient({ ...options, fingerprint: 'laptop', fetch: server.fetch });
    expect((await laptop.activate()).ok).toBe(true);
    expect(await laptop.validate()).toMatchObject({ valid: true, source: 'online' });
    const [[, laptopAnswer]] = storedAnswers(values) as [[string, string]];
    // Online: the laptop's fresh answer does not answer the desktop, the server does.
    const desktop = new KeywardenClient({ ...options, fingerprint: 'desktop', fetch: server.fetch });
    expect(await desktop.validate()).toMatchObject({ valid: false, code: 'NOT_ACTIVATED', source: 'online' });
    expect(server.calls()).toBe(3);

    // Offline: the desktop has no answer of its own, and the laptop's is no substitute, even filed under the desktop's slot.
    const down = { ...options, fetch: unreachable().fetch };
    const desktopSlot = questionSlot(questionOf({ key, fingerprint: 'desktop' }));
    values.delete(desktopSlot);
    const desktopOffline = new KeywardenClient({ ...down, fingerprint: 'desktop' });
    expect(await desktopOffline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    values.set(desktopSlot, laptopAnswer);
    expect(await desktopOffline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    // So it falls back to an offline token, when it has one; the laptop still has its own answer.
    const token = await issueOfflineToken(stack, id, { fingerprint: 'desktop', ttl_days: 5 });
    expect(await desktopOffline.installOfflineToken(token.token)).toMatchObject({ valid: true });
    expect(await desktopOffline.validate()).toMatchObject({ valid: true, source: 'offline-token' });
    expect(await new KeywardenClient({ ...down, fingerprint: 'laptop' }).validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
  });

  it('never answers a question with features, a domain or a user from the answer to a plainer one', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600 });
    const { values, storage } = inspectableStorage();
    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage };
    expect(await new KeywardenClient(options).validate()).toMatchObject({ valid: true, source: 'online' });
    const [[, plainAnswer]] = storedAnswers(values) as [[string, string]];
    const down = { ...options, fetch: unreachable().fetch };
    const offline = new KeywardenClient(down);
    const offlineOnDomain = new KeywardenClient({ ...down, domain: 'app.example.com' });
    expect(await offline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
    const richer = () => Promise.all([offline.validate({ features: ['export'] }), offline.validate({ user: 'ada' }), offlineOnDomain.validate()]);
    expect((await richer()).map((result) => result.code)).toEqual(['OFFLINE_UNAVAILABLE', 'OFFLINE_UNAVAILABLE', 'OFFLINE_UNAVAILABLE']);
    // Not even when the plain answer is filed under their slots.
    for (const question of [{ features: ['export'] }, { user: 'ada' }, { domain: 'app.example.com' }]) values.set(questionSlot(questionOf({ key, ...question })), plainAnswer);
    expect((await richer()).map((result) => result.code)).toEqual(['OFFLINE_UNAVAILABLE', 'OFFLINE_UNAVAILABLE', 'OFFLINE_UNAVAILABLE']);
    // Online, each goes to the server despite the fresh plain answer.
    const server = counting();
    const online = new KeywardenClient({ ...options, fetch: server.fetch });
    expect(await online.validate()).toMatchObject({ source: 'cache' });
    expect(await online.validate({ features: ['export'] })).toMatchObject({ valid: true, source: 'online' });
    expect(await online.validate({ user: 'ada' })).toMatchObject({ valid: true, source: 'online' });
    expect(server.calls()).toBe(2);
  });

  it('treats the features asked for as a set: their order and repeats do not matter', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600, features: { export: true, sso: true } });
    const { storage } = inspectableStorage();
    const server = counting();
    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage };
    const online = new KeywardenClient({ ...options, fetch: server.fetch });
    expect(await online.validate({ features: ['sso', 'export'] })).toMatchObject({ valid: true, source: 'online' });
    expect(await online.validate({ features: ['export', 'sso'] })).toMatchObject({ valid: true, source: 'cache' });
    expect(await online.validate({ features: ['export', 'sso', 'export'] })).toMatchObject({ valid: true, source: 'cache' });
    expect(server.calls()).toBe(1);
    const offline = new KeywardenClient({ ...options, fetch: unreachable().fetch });
    expect(await offline.validate({ features: ['export', 'sso'], force: true })).toMatchObject({ valid: true, source: 'signed-response' });
    // A subset is another question.
    expect(await offline.validate({ features: ['export'] })).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
  });

  it('refuses a stored record edited to look like the answer to another question, and one in an older format', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600, seat_limit: 2 });
    const { values, storage } = inspectableStorage();
    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks(), storage };
    const laptop = new KeywardenClient({ ...options, fingerprint: 'laptop' });
    expect((await laptop.activate()).ok).toBe(true);
    expect(await laptop.validate()).toMatchObject({ valid: true, source: 'online' });
    const [[laptopSlot, laptopAnswer]] = storedAnswers(values) as [[string, string]];
    const record = JSON.parse(laptopAnswer) as { v: number; question: Record<string, unknown>; body: string; signature: string };
    expect(record.question).toEqual({ fingerprint: 'laptop', features: [] });

    const down = { ...options, fetch: unreachable().fetch };
    const desktop = new KeywardenClient({ ...down, fingerprint: 'desktop' });
    const desktopQuestion = questionOf({ key, fingerprint: 'desktop' });
    // The record rewritten to name the desktop: its signed nonce still commits to the laptop.
    values.set(questionSlot(desktopQuestion), JSON.stringify({ ...record, question: { ...record.question, fingerprint: 'desktop' } }));
    expect(await desktop.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
    // The nonce swapped for one made for the desktop: the signature no longer holds.
    const { nonce } = JSON.parse(record.body) as { nonce: string };
    const renonced = { ...record, question: { ...record.question, fingerprint: 'desktop' }, body: record.body.replace(nonce, questionNonce(desktopQuestion)) };
    values.set(questionSlot(desktopQuestion), JSON.stringify(renonced));
    expect(await desktop.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });

    // The laptop's own record: trusted as stored, ignored in the earlier format (no question).
    const laptopOffline = new KeywardenClient({ ...down, fingerprint: 'laptop' });
    expect(await laptopOffline.validate({ force: true })).toMatchObject({ valid: true, source: 'signed-response' });
    values.set(laptopSlot, JSON.stringify({ body: record.body, signature: record.signature }));
    expect(await laptopOffline.validate()).toMatchObject({ valid: false, code: 'OFFLINE_UNAVAILABLE' });
  });

  it('refuses the answer to a question changed on the way to the server (fingerprint, features, user or domain)', async () => {
    const { key } = await createLicense(stack, { cache_ttl_seconds: 600, seat_limit: 2 });
    // The server signs what it decided on: the fields sent, as read, and nothing for the key alone.
    expect((await client(stack, '/v1/validate', { key, fingerprint: ' desktop ', features: ['export'] })).body.scope).toEqual({ fingerprint: 'desktop', features: ['export'] });
    expect((await client(stack, '/v1/validate', { key })).body).not.toHaveProperty('scope');

    const options = { baseUrl: stack.baseUrl, licenseKey: key, jwks: await jwks() };
    expect((await new KeywardenClient({ ...options, fingerprint: 'desktop' }).activate()).ok).toBe(true);
    let rewrite = (body: Record<string, unknown>) => body;
    const meddling: typeof fetch = async (input, init) => fetch(input, { ...init, body: JSON.stringify(rewrite(JSON.parse(String(init!.body)))) });
    const { values, storage } = inspectableStorage();
    const laptop = new KeywardenClient({ ...options, fingerprint: 'laptop', fetch: meddling, storage });
    const changes: [string, (body: Record<string, unknown>) => Record<string, unknown>, Parameters<KeywardenClient['validate']>[0]][] = [
      // Forwarded as the activated desktop's question: a genuinely signed VALID, about another machine.
      ['fingerprint', (body) => ({ ...body, fingerprint: 'desktop' }), {}],
      ['features dropped', ({ features: _dropped, ...body }) => body, { features: ['sso'] }],
      ['user dropped', ({ user: _dropped, ...body }) => body, { user: 'ada' }],
      ['domain added', (body) => ({ ...body, domain: 'elsewhere.example.com' }), {}],
    ];
    for (const [change, edit, question] of changes) {
      rewrite = edit;
      expect([change, await laptop.validate({ ...question, force: true })]).toEqual([change, expect.objectContaining({ valid: false, code: 'SCOPE_MISMATCH', source: 'online' })]);
    }
    expect(storedAnswers(values)).toEqual([]);
    rewrite = (body) => body;
    expect(await laptop.validate({ force: true })).toMatchObject({ valid: false, code: 'NOT_ACTIVATED', source: 'online' });
  });
});
