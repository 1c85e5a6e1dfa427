import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract, type Method } from '../support/openapi-contract.ts';
import { Browser, createStaff, linkToken, strongPassword, totpCode } from '../support/staff.ts';

describe('the identity API answers as the OpenAPI document says: sessions, links, account, staff, tokens, settings, audit', () => {
  const contract = openApiContract();
  const { call, conforms } = contract;
  let stack: ApiStack;

  beforeAll(async () => {
    ({ stack } = await contract.start({ worker: false }));
  });
  afterAll(async () => {
    await contract.close();
  });

  /** A browser request checked against the document (the session routes take cookies, not tokens). */
  const as = async (browser: Browser, method: Method, template: string, options: { params?: Record<string, string>; body?: unknown; query?: string } = {}) => {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '') + (options.query ? `?${options.query}` : '');
    return conforms(method, template, await browser.request(method, path, { body: options.body }), options.body);
  };

  it('describes signing in, the session, links, and the member\'s own account', async () => {
    expect((await call('GET', '/v1/sign-in-methods', { token: null })).body).toEqual({ password: true, oidc: null, setup_required: true });
    const invited = await call('POST', '/v1/staff', { body: { email: 'grace@example.com', name: 'Grace', role: 'admin' } });
    expect(invited.body.invitation).toMatchObject({ delivery: 'NOT_CONFIGURED', link: expect.stringMatching(/\/admin\/link#token=kwl_/) });
    const token = linkToken(invited.body.invitation.link);
    expect((await call('POST', '/v1/staff-links/inspect', { body: { token }, token: null })).body).toMatchObject({ purpose: 'INVITATION', email: 'grace@example.com' });
    const password = strongPassword();
    expect((await call('POST', '/v1/staff-links/redeem', { body: { token, password }, token: null })).body.staff.password_set).toBe(true);

    const browser = new Browser(stack);
    const signIn = { email: 'grace@example.com', password };
    const signedIn = conforms('POST', '/v1/sessions', await browser.request('POST', '/v1/sessions', { body: signIn }), signIn);
    browser.csrfToken = signedIn.body.csrf_token;
    expect((await as(browser, 'GET', '/v1/sessions/current')).body.staff.email).toBe('grace@example.com');
    expect((await as(browser, 'GET', '/v1/me')).body.role).toBe('admin');
    expect((await as(browser, 'PATCH', '/v1/me', { body: { name: 'Grace H.' } })).body.name).toBe('Grace H.');
    const newPassword = strongPassword();
    expect((await as(browser, 'POST', '/v1/me/password', { body: { current_password: password, new_password: newPassword } })).status).toBe(204);
    const sessions = await as(browser, 'GET', '/v1/me/sessions');
    const other = new Browser(stack);
    await other.signIn('grace@example.com', newPassword);
    const otherId = (await other.request('GET', '/v1/sessions/current')).body.session_id;
    expect((await as(browser, 'DELETE', '/v1/me/sessions/{id}', { params: { id: otherId } })).status).toBe(204);
    expect(sessions.body.data).toHaveLength(1);

    const started = await as(browser, 'POST', '/v1/me/two-factor');
    const enabled = await as(browser, 'POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(started.body.secret) } });
    expect(enabled.body.recovery_codes).toHaveLength(10);
    expect((await as(browser, 'POST', '/v1/me/recovery-codes', { body: { password: newPassword } })).body.recovery_codes).toHaveLength(10);
    expect((await as(browser, 'POST', '/v1/me/two-factor/disable', { body: { password: newPassword } })).body.two_factor_enabled).toBe(false);

    expect((await call('POST', '/v1/password-resets', { body: { email: 'grace@example.com' }, token: null })).status).toBe(202);
    expect((await as(browser, 'POST', '/v1/me/sign-out-everywhere')).body.sessions_ended).toBe(1);
    await browser.signIn('grace@example.com', newPassword);
    expect((await as(browser, 'DELETE', '/v1/sessions/current')).status).toBe(204);
    for (const [method, template, status, code] of [
      ['POST', '/v1/staff-links/inspect', 410, 'LINK_ALREADY_USED'],
      ['POST', '/v1/staff-links/redeem', 410, 'LINK_ALREADY_USED'],
    ] as const) {
      const body = template.endsWith('inspect') ? { token } : { token, password: strongPassword() };
      const refused = await call(method, template, { body, token: null });
      expect([template, refused.status, refused.body.code]).toEqual([template, status, code]);
    }
  });

  it('describes staff management, settings, API tokens and the audit trail', async () => {
    const member = await createStaff(stack, 'support');
    expect((await call('GET', '/v1/staff', { query: 'role=support' })).body.data.map((m: { id: string }) => m.id)).toEqual([member.id]);
    expect((await call('GET', '/v1/staff/{id}', { params: { id: member.id } })).body.email).toBe(member.email);
    expect((await call('PATCH', '/v1/staff/{id}', { params: { id: member.id }, body: { role: 'finance', reason: 'moved to billing' } })).body.role).toBe('finance');
    expect((await call('POST', '/v1/staff/{id}/invitation', { params: { id: member.id } })).body.delivery).toBe('NOT_CONFIGURED');
    const reset = await call('POST', '/v1/staff/{id}/password-reset', { params: { id: member.id } });
    expect(reset.body.link).toMatch(/#token=kwl_/);

    const browser = new Browser(stack);
    await browser.signIn(member.email, member.password);
    const started = await browser.request('POST', '/v1/me/two-factor');
    await browser.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(started.body.secret) } });
    expect((await call('POST', '/v1/staff/{id}/two-factor/reset', { params: { id: member.id }, body: { reason: 'lost phone' } })).body.two_factor_enabled).toBe(false);
    const listed = await call('GET', '/v1/staff/{id}/sessions', { params: { id: member.id } });
    expect(listed.body.data).toHaveLength(1);
    const one = new Browser(stack);
    await one.signIn(member.email, member.password);
    const oneId = (await one.request('GET', '/v1/sessions/current')).body.session_id;
    expect((await call('DELETE', '/v1/sessions/{id}', { params: { id: oneId } })).status).toBe(204);
    expect((await call('POST', '/v1/staff/{id}/sign-out-everywhere', { params: { id: member.id } })).body.sessions_ended).toBe(1);

    expect((await call('GET', '/v1/settings')).body).toEqual({ require_two_factor: false });
    expect((await call('PATCH', '/v1/settings', { body: { require_two_factor: false } })).body).toEqual({ require_two_factor: false });

    const created = await call('POST', '/v1/api-tokens', { body: { name: 'ci-deploy', scopes: ['licenses:read', 'licenses:write'], service: 'ci', expires_at: '2099-01-01T00:00:00Z' } });
    expect(created.body).toMatchObject({ name: 'ci-deploy', service: 'ci', token: expect.stringMatching(/^kwa_[A-Za-z0-9_-]{43}$/), hint: `kwa_…${created.body.token.slice(-4)}` });
    expect((await call('GET', '/v1/licenses', { token: created.body.token })).status).toBe(200);
    expect((await call('GET', '/v1/api-tokens/{id}', { params: { id: created.body.id } })).body.last_used_at).not.toBeNull();
    expect((await call('GET', '/v1/api-tokens')).body.data.map((t: { name: string }) => t.name)).toEqual(['ci-deploy', 'bootstrap-admin']);
    expect((await call('DELETE', '/v1/api-tokens/{id}', { params: { id: created.body.id }, query: 'reason=rotated' })).body.revoked_at).not.toBeNull();
    expect((await call('GET', '/v1/licenses', { token: created.body.token })).status).toBe(401);

    const trail = await call('GET', '/v1/audit-events', { query: `target_type=staff_member&target_id=${member.id}&limit=3` });
    expect(trail.body.data[0]).toMatchObject({ action: 'staff.signed_out_everywhere', actor: expect.stringMatching(/^token:/), actor_label: 'bootstrap-admin' });
    expect(trail.body.has_more).toBe(true);
  });

  it('exercises every identity operation it owns', () => {
    expect(contract.unexercised('openapi-identity-api')).toEqual([]);
  });
});
