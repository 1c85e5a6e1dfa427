import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { KeywardenClient, LICENSE_REFUSAL_CODES, licenseKeyDigest, MemoryStorage, VALIDATION_CODES, type JsonWebKeySet, type ValidationCode } from '../src/index.ts';

/** Which signed answers make the client stop trusting offline tokens issued before them, and in what order. */
describe('license refusals remembered against offline tokens', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = randomUUID();
  const key = 'KW-7QXM-AAAA-BBBB-CCCC-DDDD-EEEE';
  const license = { id: randomUUID(), status: 'ACTIVE', product: 'desk', plan: 'pro', tier: 'pro', features: {}, seat_model: 'DEVICE', seat_limit: 3, expires_at: null };
  const t0 = Date.parse('2030-01-01T00:00:00Z');
  let jwks: JsonWebKeySet;

  /** A server whose next answer is `code`, decided at `ts`, signed for this key. */
  const server = (answer: { code: ValidationCode; ts: number }): typeof fetch => async (_input, init) => {
    const { nonce } = JSON.parse(String(init!.body)) as { nonce: string };
    const { code, ts } = answer;
    const body = JSON.stringify({ valid: VALIDATION_CODES[code].valid, code, detail: `answered ${code}`, license: code === 'NOT_FOUND' ? null : license, cache_ttl: 60, nonce, ts: new Date(ts).toISOString() });
    const protectedHeader = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, kwk: licenseKeyDigest(key) })).toString('base64url');
    const signature = `${protectedHeader}..${sign(null, Buffer.from(`${protectedHeader}.${Buffer.from(body).toString('base64url')}`), privateKey).toString('base64url')}`;
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'keywarden-signature': signature } });
  };
  const down: typeof fetch = () => Promise.reject(new TypeError('network down'));
  const token = (issuedAt: number) =>
    new SignJWT({ license })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'kw-license+jwt' })
      .setIssuer('keywarden')
      .setSubject(license.id)
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(issuedAt / 1000))
      .setNotBefore(Math.floor(issuedAt / 1000))
      .setExpirationTime(Math.floor(issuedAt / 1000) + 30 * 86_400)
      .sign(privateKey);

  /** One installation: answers come from `answer`, the clock is `now`. */
  const installation = () => {
    const storage = new MemoryStorage();
    const state = { now: t0 + 3_600_000, answer: { code: 'VALID' as ValidationCode, ts: t0 } };
    const options = { baseUrl: 'http://keywarden.test', licenseKey: key, jwks, storage, now: () => state.now };
    const online = new KeywardenClient({ ...options, fetch: (input, init) => server(state.answer)(input, init) });
    const offline = new KeywardenClient({ ...options, fetch: down });
    return { state, online, offline };
  };

  beforeAll(async () => {
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid }] };
  });

  it('counts only the refusals about the license itself', async () => {
    const verdicts: Record<string, string> = {};
    for (const code of Object.keys(VALIDATION_CODES) as ValidationCode[]) {
      const { state, online, offline } = installation();
      expect(await online.installOfflineToken(await token(t0))).toMatchObject({ valid: true });
      state.answer = { code, ts: t0 + 10_000 };
      expect((await online.validate()).code).toBe(code);
      state.now += 5 * 60_000;
      verdicts[code] = (await offline.validate()).code;
    }
    const refused = new Set<string>(['EXPIRED', 'TRIAL_EXPIRED', 'SUSPENDED', 'REVOKED']);
    expect([...LICENSE_REFUSAL_CODES].sort()).toEqual([...refused].sort());
    // KEY_ROTATED is about the key, not the license: the client remembers it for this key (sdk/src/rotated-key.ts).
    const offlineVerdict = (code: string) => (refused.has(code) ? 'TOKEN_REVOKED' : code === 'KEY_ROTATED' ? 'KEY_ROTATED' : 'VALID');
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(VALIDATION_CODES).map((code) => [code, offlineVerdict(code)])));
  });

  it('keeps the newest refusal, clears it only with a newer valid answer, and dates tokens to the second', async () => {
    const { state, online, offline } = installation();
    const refusedAt = t0 + 20_500;
    state.answer = { code: 'SUSPENDED', ts: refusedAt };
    await online.validate();
    state.answer = { code: 'REVOKED', ts: refusedAt - 5_000 };
    await online.validate({ force: true });
    const trusted = async (issuedAt: number) => (await offline.installOfflineToken(await token(issuedAt))).code;
    // The SUSPENDED answer is the newer refusal: it stays, and dates what is trusted.
    expect(await trusted(refusedAt - 10_000)).toBe('TOKEN_REVOKED');
    expect((await offline.installOfflineToken(await token(refusedAt - 10_000))).detail).toContain('SUSPENDED');
    // A token issued within the refusal's second cannot be told apart from one issued just before it.
    expect(await trusted(refusedAt + 400)).toBe('TOKEN_REVOKED');
    expect(await trusted(refusedAt + 500)).toBe('VALID');
    // A valid answer decided before the refusal (a lagging server) does not clear it; a newer one does.
    state.answer = { code: 'VALID', ts: refusedAt - 1_000 };
    expect((await online.validate({ force: true })).code).toBe('VALID');
    expect(await trusted(t0)).toBe('TOKEN_REVOKED');
    state.answer = { code: 'PAST_DUE', ts: refusedAt + 1_000 };
    expect((await online.validate({ force: true })).code).toBe('PAST_DUE');
    expect(await trusted(t0)).toBe('VALID');
  });
});
