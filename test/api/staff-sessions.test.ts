import { randomBytes } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { Browser, createStaff, signedIn, totpCode } from '../support/staff.ts';

/** Rows of a table, for "nothing changed" checks. */
const snapshot = async (stack: ApiStack, table: string) => JSON.stringify(await stack.db.orm.em.fork().execute(`select * from ${table} order by 1`));

describe('staff browser sessions: sign-in, the cookie, CSRF, expiry, rotation, revocation, lockout', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ worker: false, identity: { signIn: { maxFailuresPerAccount: 3, maxFailuresPerIp: 1000, lockoutMs: 60_000 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('signs in with a cookie that is HttpOnly, SameSite=Strict, Path=/, and answers who and what the session may do', async () => {
    const account = await createStaff(stack, 'support');
    const browser = new Browser(stack);
    const answer = await browser.signIn(account.email.toUpperCase(), account.password);
    expect(answer.status).toBe(201);
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('kw_staff_session='))!;
    expect(cookie).toMatch(/; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toMatch(/Secure/);
    expect(answer.body).toMatchObject({ staff: { id: account.id, email: account.email, role: 'support' }, two_factor_enrolment_required: false });
    expect(answer.body.scopes).toEqual(expect.arrayContaining(['licenses:read', 'licenses:lifecycle', 'seats:write']));
    expect(answer.body.scopes).not.toContain('licenses:revoke');
    expect(Date.parse(answer.body.expires_at) - Date.now()).toBeGreaterThan(11 * 3_600_000);
    expect(Date.parse(answer.body.idle_expires_at) - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const current = await browser.request('GET', '/v1/sessions/current');
    expect(current.body).toMatchObject({ session_id: answer.body.session_id, csrf_token: answer.body.csrf_token });
    // The database keeps a keyed hash of the cookie, not the cookie.
    expect(await snapshot(stack, 'staff_session')).not.toContain(browser.sessionCookie);
  });

  it('answers an unknown e-mail and a wrong password alike, and a disabled account only to someone who knows its password', async () => {
    const account = await createStaff(stack, 'finance');
    const unknown = await new Browser(stack).signIn(`nobody-${randomBytes(3).toString('hex')}@example.com`, account.password);
    const wrong = await new Browser(stack).signIn(account.email, 'not-the-password-at-all');
    expect([unknown.status, unknown.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect([wrong.status, wrong.body.code, wrong.body.detail]).toEqual([401, 'INVALID_CREDENTIALS', unknown.body.detail]);
    expect(unknown.headers.getSetCookie()).toEqual([]);

    const { browser } = await signedIn(stack, 'read_only');
    const disabled = await stack.request('PATCH', `/v1/staff/${account.id}`, { body: { status: 'DISABLED', reason: 'left the company' } });
    expect(disabled.body.status).toBe('DISABLED');
    expect((await new Browser(stack).signIn(account.email, 'wrong-password-here')).body.code).toBe('INVALID_CREDENTIALS');
    expect((await new Browser(stack).signIn(account.email, account.password)).body.code).toBe('ACCOUNT_DISABLED');
    expect((await browser.request('GET', '/v1/me')).status).toBe(200);
  });

  it('refuses a cookie-authenticated write from another origin, or without the CSRF token, and changes nothing', async () => {
    const { browser, account } = await signedIn(stack, 'owner');
    const someoneElse = await signedIn(stack, 'owner');
    const before = await snapshot(stack, 'staff_member');
    const body = { name: 'Changed by a forged request' };
    const crossSite = await browser.request('PATCH', '/v1/me', { body, origin: 'https://evil.example.com' });
    expect([crossSite.status, crossSite.body.code]).toEqual([403, 'CROSS_ORIGIN_REQUEST']);
    const noOrigin = await browser.request('PATCH', '/v1/me', { body, origin: null });
    expect(noOrigin.body.code).toBe('CROSS_ORIGIN_REQUEST');
    const refererOnly = await browser.request('PATCH', '/v1/me', { body, origin: null, headers: { referer: 'https://evil.example.com/page' } });
    expect(refererOnly.body.code).toBe('CROSS_ORIGIN_REQUEST');
    const noToken = await browser.request('PATCH', '/v1/me', { body, csrf: false });
    expect([noToken.status, noToken.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const otherToken = await browser.request('PATCH', '/v1/me', { body, headers: { 'x-csrf-token': someoneElse.browser.csrfToken! } });
    expect(otherToken.body.code).toBe('CSRF_TOKEN_INVALID');
    const invite = await browser.request('POST', '/v1/staff', { body: { email: 'forged@example.com', name: 'F', role: 'owner' }, csrf: false });
    expect(invite.body.code).toBe('CSRF_TOKEN_INVALID');
    expect(await snapshot(stack, 'staff_member')).toBe(before);
    // Reads need no token; the same write with it passes.
    expect((await browser.request('GET', '/v1/staff', { csrf: false })).status).toBe(200);
    const ok = await browser.request('PATCH', '/v1/me', { body: { name: 'Ada' } });
    expect([ok.status, ok.body.id, ok.body.name]).toEqual([200, account.id, 'Ada']);
    // A sign-in posted from another site's page is refused too (login CSRF).
    const forgedSignIn = await new Browser(stack, 'https://evil.example.com').signIn(account.email, account.password);
    expect(forgedSignIn.body.code).toBe('CROSS_ORIGIN_REQUEST');
  });

  it('gives a new session on every sign-in and ends the one the browser held', async () => {
    const account = await createStaff(stack, 'admin');
    const browser = new Browser(stack);
    const first = await browser.signIn(account.email, account.password);
    const firstCookie = browser.sessionCookie!;
    const second = await browser.signIn(account.email, account.password);
    expect(second.body.session_id).not.toBe(first.body.session_id);
    expect(browser.sessionCookie).not.toBe(firstCookie);
    expect(second.body.csrf_token).not.toBe(first.body.csrf_token);
    const stale = new Browser(stack);
    stale.cookies.set('kw_staff_session', firstCookie);
    const refused = await stale.request('GET', '/v1/me');
    expect([refused.status, refused.body.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect(refused.headers.getSetCookie()[0]).toMatch(/^kw_staff_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
  });

  it('lists a member\'s sessions, revokes one, signs out, and signs out everywhere', async () => {
    const account = await createStaff(stack, 'support');
    const laptop = new Browser(stack);
    const phone = new Browser(stack);
    await laptop.signIn(account.email, account.password, {});
    await phone.signIn(account.email, account.password);
    const listed = await laptop.request('GET', '/v1/me/sessions');
    expect(listed.body.data).toHaveLength(2);
    expect(listed.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const phoneSession = listed.body.data.find((s: { current: boolean }) => !s.current);
    expect((await laptop.request('DELETE', `/v1/me/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.request('GET', '/v1/me')).body.code).toBe('SESSION_EXPIRED');
    // Another member's session is not one's own to end.
    const other = await signedIn(stack, 'support');
    const foreign = (await other.browser.request('GET', '/v1/me/sessions')).body.data[0].id;
    expect((await laptop.request('DELETE', `/v1/me/sessions/${foreign}`)).body.code).toBe('SESSION_NOT_FOUND');
    // An owner (staff:write) can end anyone's, and sees them listed.
    expect((await stack.request('GET', `/v1/staff/${other.account.id}/sessions`)).body.data).toHaveLength(1);
    expect((await stack.request('DELETE', `/v1/sessions/${foreign}`)).status).toBe(204);
    expect((await other.browser.request('GET', '/v1/me')).body.code).toBe('SESSION_EXPIRED');

    expect((await laptop.request('DELETE', '/v1/sessions/current')).status).toBe(204);
    expect(laptop.sessionCookie).toBeUndefined();
    const a = new Browser(stack);
    const b = new Browser(stack);
    await a.signIn(account.email, account.password);
    await b.signIn(account.email, account.password);
    expect((await a.request('POST', '/v1/me/sign-out-everywhere')).body).toEqual({ sessions_ended: 2 });
    expect((await b.request('GET', '/v1/me')).body.code).toBe('SESSION_EXPIRED');
    await b.signIn(account.email, account.password);
    expect((await stack.request('POST', `/v1/staff/${account.id}/sign-out-everywhere`)).body).toEqual({ sessions_ended: 1 });
    expect((await b.request('GET', '/v1/me')).body.code).toBe('SESSION_EXPIRED');
  });

  it('locks an account out after repeated failures, for everyone, even with the right password, and says for how long', async () => {
    const account = await createStaff(stack, 'read_only');
    for (let i = 0; i < 3; i++) expect((await new Browser(stack).signIn(account.email, `wrong-${i}-password`)).body.code).toBe('INVALID_CREDENTIALS');
    const locked = await new Browser(stack).signIn(account.email, account.password);
    expect([locked.status, locked.body.code]).toEqual([429, 'SIGN_IN_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50);
    // An unknown e-mail locks the same way, so a lockout tells nothing about which accounts exist.
    const ghost = `ghost-${randomBytes(3).toString('hex')}@example.com`;
    for (let i = 0; i < 3; i++) await new Browser(stack).signIn(ghost, 'whatever-password');
    expect((await new Browser(stack).signIn(ghost, 'whatever-password')).body.code).toBe('SIGN_IN_LOCKED');
    // Other accounts are unaffected.
    const other = await createStaff(stack, 'read_only');
    expect((await new Browser(stack).signIn(other.email, other.password)).status).toBe(201);
  });

  it('locks an IP out after its failures across accounts', async () => {
    // Behind one trusted proxy (TRUST_PROXY=1): the client IP is the address it adds to X-Forwarded-For.
    const strict = await startApiStack({ worker: false, identity: { signIn: { maxFailuresPerAccount: 100, maxFailuresPerIp: 4, lockoutMs: 60_000 } }, app: { trustProxy: { hops: 1 } } });
    try {
      const account = await createStaff(strict, 'support');
      const fromLocked = { 'x-forwarded-for': '198.51.100.20' };
      for (let i = 0; i < 4; i++) await new Browser(strict).request('POST', '/v1/sessions', { body: { email: `someone-${i}@example.com`, password: 'wrong-password-1' }, headers: fromLocked });
      expect((await new Browser(strict).request('POST', '/v1/sessions', { body: { email: account.email, password: account.password }, headers: fromLocked })).body.code).toBe('SIGN_IN_LOCKED');
      // Another client address behind the same proxy is not locked.
      const elsewhere = await new Browser(strict).request('POST', '/v1/sessions', { body: { email: account.email, password: account.password }, headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(elsewhere.status).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it('ends an idle session, and a session past its absolute lifetime, with SESSION_EXPIRED', async () => {
    const short = await startApiStack({ worker: false, identity: { sessions: { idleMs: 1_500, absoluteMs: 4_000 } } });
    try {
      const account = await createStaff(short, 'support');
      const idle = new Browser(short);
      await idle.signIn(account.email, account.password);
      expect((await idle.request('GET', '/v1/me')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const expired = await idle.request('GET', '/v1/me');
      expect([expired.status, expired.body.code]).toEqual([401, 'SESSION_EXPIRED']);
      expect(expired.body.detail).toMatch(/idle/);

      // Used often enough never to idle out, a session still ends at its absolute lifetime.
      const busy = new Browser(short);
      const signedInAt = Date.now();
      await busy.signIn(account.email, account.password);
      let last = await busy.request('GET', '/v1/me');
      while (last.status === 200 && Date.now() - signedInAt < 8_000) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        last = await busy.request('GET', '/v1/me');
      }
      expect(Date.now() - signedInAt).toBeGreaterThanOrEqual(4_000);
      expect([last.status, last.body.code]).toEqual([401, 'SESSION_EXPIRED']);
      expect(last.body.detail).toMatch(/maximum age|idle/);
    } finally {
      await short.close();
    }
  });

  it('signs in with TOTP: enrol, confirm, then the code (once), a recovery code (once), and disable', async () => {
    const { browser, account } = await signedIn(stack, 'admin');
    const started = await browser.request('POST', '/v1/me/two-factor');
    expect(started.status).toBe(201);
    expect(started.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Keywarden:/);
    const wrongConfirm = await browser.request('POST', '/v1/me/two-factor/confirm', { body: { code: '000000' } });
    expect(wrongConfirm.body.code).toBe('INVALID_TWO_FACTOR_CODE');
    const confirmed = await browser.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(started.body.secret) } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recovery_codes).toHaveLength(10);
    // The secret is stored sealed, never as it is.
    expect(await snapshot(stack, 'staff_member')).not.toContain(started.body.secret);

    const needsCode = await new Browser(stack).signIn(account.email, account.password);
    expect([needsCode.status, needsCode.body.code]).toEqual([401, 'TWO_FACTOR_REQUIRED']);
    expect(needsCode.headers.getSetCookie()).toEqual([]);
    // The step used at confirmation is spent: the next step's code signs in, and only once.
    const next = await totpCode(started.body.secret, Math.floor(Date.now() / 1000) + 30);
    const withCode = await new Browser(stack).signIn(account.email, account.password, { totp_code: next });
    expect(withCode.status).toBe(201);
    const replayed = await new Browser(stack).signIn(account.email, account.password, { totp_code: next });
    expect(replayed.body.code).toBe('INVALID_TWO_FACTOR_CODE');
    const recovery = confirmed.body.recovery_codes[0].toLowerCase();
    expect((await new Browser(stack).signIn(account.email, account.password, { recovery_code: recovery })).status).toBe(201);
    expect((await new Browser(stack).signIn(account.email, account.password, { recovery_code: recovery })).body.code).toBe('INVALID_TWO_FACTOR_CODE');

    expect((await browser.request('POST', '/v1/me/two-factor/disable', { body: { password: 'not-my-password' } })).body.code).toBe('INVALID_CREDENTIALS');
    const off = await browser.request('POST', '/v1/me/two-factor/disable', { body: { password: account.password } });
    expect(off.body.two_factor_enabled).toBe(false);
    expect((await new Browser(stack).signIn(account.email, account.password)).status).toBe(201);
  });

  it('lets owners require two-factor: a member without it may only enrol until they do', async () => {
    const { browser, account } = await signedIn(stack, 'support');
    expect((await stack.request('PATCH', '/v1/settings', { body: { require_two_factor: true } })).body).toEqual({ require_two_factor: true });
    try {
      const blocked = await browser.request('GET', '/v1/licenses');
      expect([blocked.status, blocked.body.code]).toEqual([403, 'TWO_FACTOR_ENROLMENT_REQUIRED']);
      const fresh = new Browser(stack);
      const signIn = await fresh.signIn(account.email, account.password);
      expect(signIn.body).toMatchObject({ two_factor_enrolment_required: true, scopes: [] });
      const started = await fresh.request('POST', '/v1/me/two-factor');
      await fresh.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(started.body.secret) } });
      expect((await fresh.request('GET', '/v1/licenses')).status).toBe(200);
      expect((await fresh.request('POST', '/v1/me/two-factor/disable', { body: { password: account.password } })).body.code).toBe('TWO_FACTOR_REQUIRED_BY_OWNER');
      // An owner resets a lost authenticator; the member must enrol again.
      expect((await stack.request('POST', `/v1/staff/${account.id}/two-factor/reset`, { body: { reason: 'lost phone' } })).body.two_factor_enabled).toBe(false);
      expect((await fresh.request('GET', '/v1/licenses')).body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    } finally {
      await stack.request('PATCH', '/v1/settings', { body: { require_two_factor: false } });
    }
  });
});
