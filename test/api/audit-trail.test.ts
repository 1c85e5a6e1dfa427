import { Writable } from 'node:stream';
import { pino } from 'pino';
import { redactedPaths } from '../../lib/logger.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense, createPlan } from '../support/api-fixtures.ts';
import { Browser, createStaff, linkToken, strongPassword, totpCode } from '../support/staff.ts';

/** Every line the API logs, at the most verbose level (requests included). */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino({ level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' } }, sink) };
}

describe('the audit trail of the identity area: every write recorded, append-only, no secret anywhere', () => {
  const capture = capturingLogger();
  let stack: ApiStack;

  beforeAll(async () => {
    // Behind one trusted proxy (TRUST_PROXY=1): the audit rows name the client address it forwards.
    stack = await startApiStack({ logger: capture.logger, app: { trustProxy: { hops: 1 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const trail = async (query: string) => (await stack.request('GET', `/v1/audit-events?limit=100&${query}`)).body;

  it('records who, what, to what, why, from where and the change, for each kind of identity write', async () => {
    const owner = await createStaff(stack, 'owner');
    const browser = new Browser(stack);
    await browser.request('POST', '/v1/sessions', { body: { email: owner.email, password: owner.password }, headers: { 'user-agent': 'AuditTest/1.0', 'x-forwarded-for': '198.51.100.7' } }).then((a) => {
      browser.csrfToken = a.body.csrf_token;
    });
    const ua = { 'user-agent': 'AuditTest/1.0', 'x-forwarded-for': '198.51.100.7' };
    const invited = await browser.request('POST', '/v1/staff', { body: { email: 'kim@example.com', name: 'Kim', role: 'support' }, headers: ua });
    const kim = invited.body.id;
    await browser.request('PATCH', `/v1/staff/${kim}`, { body: { role: 'finance', reason: 'moved to billing' }, headers: ua });
    await browser.request('PATCH', `/v1/staff/${kim}`, { body: { status: 'DISABLED', reason: 'on leave' }, headers: ua });
    await browser.request('PATCH', `/v1/staff/${kim}`, { body: { status: 'ACTIVE' }, headers: ua });
    await browser.request('POST', `/v1/staff/${kim}/password-reset`, { headers: ua });
    const token = await browser.request('POST', '/v1/api-tokens', { body: { name: 'audit-ci', scopes: ['licenses:read'], service: 'ci' }, headers: ua });
    await browser.request('DELETE', `/v1/api-tokens/${token.body.id}?reason=leaked`, { headers: ua });
    await browser.request('PATCH', '/v1/settings', { body: { require_two_factor: false }, headers: ua });
    await browser.request('POST', `/v1/staff/${kim}/sign-out-everywhere`, { headers: ua });

    const mine = await trail(`actor=staff:${owner.id}`);
    const actions = mine.data.map((event: { action: string }) => event.action).reverse();
    expect(actions).toEqual(['staff.invitation_accepted', 'session.created', 'staff.invited', 'staff.role_changed', 'staff.disabled', 'staff.enabled', 'staff.password_reset_sent', 'api_token.created', 'api_token.revoked', 'setting.updated', 'staff.signed_out_everywhere']);
    for (const event of mine.data.filter((e: { action: string }) => e.action !== 'staff.invitation_accepted')) expect(event).toMatchObject({ actor: `staff:${owner.id}`, actor_label: owner.email, ip: '198.51.100.7', user_agent: 'AuditTest/1.0' });
    const roleChange = mine.data.find((event: { action: string }) => event.action === 'staff.role_changed');
    expect(roleChange).toMatchObject({ target_type: 'staff_member', target_id: kim, reason: 'moved to billing', before: { role: 'support' }, after: { role: 'finance' } });
    const revoked = mine.data.find((event: { action: string }) => event.action === 'api_token.revoked');
    expect(revoked).toMatchObject({ target_type: 'api_token', target_id: token.body.id, reason: 'leaked', before: { revoked_at: null }, after: { name: 'audit-ci', scopes: ['licenses:read'] } });

    // The member's own writes name them; a token's writes name the token.
    const self = new Browser(stack);
    const kimAccount = { email: 'kim@example.com', password: strongPassword() };
    const reset = await browser.request('POST', `/v1/staff/${kim}/password-reset`);
    await stack.request('POST', '/v1/staff-links/redeem', { body: { token: linkToken(reset.body.link), password: kimAccount.password }, token: null });
    await self.signIn(kimAccount.email, kimAccount.password);
    const enrol = await self.request('POST', '/v1/me/two-factor');
    await self.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(enrol.body.secret) } });
    await self.request('POST', '/v1/me/recovery-codes', { body: { password: kimAccount.password } });
    await self.request('POST', '/v1/me/two-factor/disable', { body: { password: kimAccount.password } });
    await self.request('DELETE', '/v1/sessions/current');
    const kimsOwn = (await trail(`actor=staff:${kim}`)).data.map((event: { action: string }) => event.action).reverse();
    expect(kimsOwn).toEqual(['staff.password_reset', 'session.created', 'staff.two_factor_enabled', 'staff.recovery_codes_replaced', 'staff.two_factor_disabled', 'session.signed_out']);
    await stack.request('POST', `/v1/staff/${kim}/sign-out-everywhere`);
    expect((await trail(`target_id=${kim}&action=staff.signed_out_everywhere`)).data[0]).toMatchObject({ actor: expect.stringMatching(/^token:/), actor_label: 'bootstrap-admin' });
  });

  it('names the staff member or API token and the request\'s origin on license changes, the workflow\'s included', async () => {
    const owner = await createStaff(stack, 'owner');
    const browser = new Browser(stack);
    await browser.signIn(owner.email, owner.password);
    const from = { 'user-agent': 'LicenseDesk/2.0', 'x-forwarded-for': '198.51.100.23' };
    const trialPlan = await createPlan(stack, { trial_days: 14 });
    const otherPlan = await createPlan(stack);
    const created = await browser.request('POST', '/v1/licenses', { body: { plan_id: trialPlan.id, customer: { email: 'trial-desk@example.com' }, trial: true, notify: false }, headers: from });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await browser.request('POST', `/v1/licenses/${id}/extend-trial`, { body: { until, reason: 'evaluation' }, headers: from })).status).toBe(200);
    expect((await browser.request('POST', `/v1/licenses/${id}/change-plan`, { body: { plan_id: otherPlan.id, reason: 'upgrade' }, headers: from })).status).toBe(200);
    expect((await browser.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'chargeback' }, headers: from })).status).toBe(200);

    const rows = (await trail(`target_type=license&target_id=${id}`)).data.reverse();
    expect(rows.map((event: { action: string }) => event.action)).toEqual(['license.created', 'license.trial_extended', 'license.plan_changed', 'license.revoked']);
    for (const event of rows) {
      expect(event).toMatchObject({ actor: `staff:${owner.id}`, actor_label: owner.email, ip: '198.51.100.23', user_agent: 'LicenseDesk/2.0', license_id: id });
    }
    expect(rows[1]).toMatchObject({ reason: 'evaluation', after: { trialEndsAt: until } });
    expect(rows[2]).toMatchObject({ before: { planId: trialPlan.id }, after: { planId: otherPlan.id } });
    expect(rows[3]).toMatchObject({ reason: 'chargeback', after: { status: 'REVOKED' } });

    // An API token's change names the token (its id, with its name as the label).
    const token = await browser.request('POST', '/v1/api-tokens', { body: { name: 'desk-bot', scopes: ['licenses:lifecycle'], service: 'desk' }, headers: from });
    const license = await createLicense(stack);
    const suspended = await stack.request('POST', `/v1/licenses/${license.id}/suspend`, { body: { reason: 'abuse report' }, token: token.body.token, headers: { 'user-agent': 'DeskBot/1.0', 'x-forwarded-for': '192.0.2.44' } });
    expect(suspended.status).toBe(200);
    expect((await trail(`target_id=${license.id}&action=license.suspended`)).data[0]).toMatchObject({
      actor: `token:${token.body.id}`, actor_label: 'desk-bot', ip: '192.0.2.44', user_agent: 'DeskBot/1.0', reason: 'abuse report',
    });
  });

  it('filters by actor, target, action (or its prefix) and time, page by page', async () => {
    const started = new Date().toISOString();
    const member = await createStaff(stack, 'read_only');
    for (const name of ['One', 'Two', 'Three']) await stack.request('PATCH', `/v1/staff/${member.id}`, { body: { name } });
    const updates = await trail(`target_type=staff_member&target_id=${member.id}&action=staff.updated`);
    expect(updates.data.map((event: { after: { name: string } }) => event.after.name)).toEqual(['Three', 'Two', 'One']);
    const prefixed = await trail(`target_id=${member.id}&action=staff.`);
    expect(prefixed.data.map((event: { action: string }) => event.action)).toEqual(['staff.updated', 'staff.updated', 'staff.updated', 'staff.invitation_accepted', 'staff.invited']);
    const firstPage = await stack.request('GET', `/v1/audit-events?target_id=${member.id}&limit=2`);
    expect(firstPage.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const secondPage = await stack.request('GET', `/v1/audit-events?target_id=${member.id}&limit=2&cursor=${firstPage.body.next_cursor}`);
    expect(secondPage.body.data.map((event: { id: string }) => event.id)).not.toContain(firstPage.body.data[0].id);
    expect(secondPage.body.data).toHaveLength(2);
    expect((await trail(`since=${started}&target_id=${member.id}`)).data).toHaveLength(5);
    expect((await trail(`until=${started}&target_id=${member.id}`)).data).toHaveLength(0);
    // License changes are in the same trail, targeting their license.
    const license = await createLicense(stack);
    expect((await trail(`target_type=license&target_id=${license.id}`)).data[0]).toMatchObject({ action: 'license.created', license_id: license.id });
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE, and no route changes it', async () => {
    const em = stack.db.orm.em.fork();
    const [before] = await em.execute<{ n: string }[]>('select count(*) as n from audit_event');
    await expect(em.execute(`update audit_event set reason = 'rewritten'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(em.execute(`delete from audit_event`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(em.execute(`truncate audit_event`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const [after] = await em.execute<{ n: string }[]>('select count(*) as n from audit_event');
    expect(after!.n).toBe(before!.n);
    expect(await em.execute(`select count(*) as n from audit_event where reason = 'rewritten'`)).toEqual([{ n: '0' }]);
    const id = (await trail('')).data[0].id;
    for (const method of ['PATCH', 'PUT', 'DELETE']) expect((await stack.request(method, `/v1/audit-events/${id}`, { body: method === 'DELETE' ? undefined : {} })).status).toBe(404);
    expect((await stack.request('POST', '/v1/audit-events', { body: {} })).status).toBe(405);
  });

  it('never writes a password, token, link, TOTP secret, recovery code or session secret to logs, audit rows or Temporal history', async () => {
    const owner = await createStaff(stack, 'owner');
    const secrets: string[] = [owner.password];
    const browser = new Browser(stack);
    await browser.signIn(owner.email, owner.password);
    secrets.push(browser.sessionCookie!, browser.csrfToken!);
    const invited = await browser.request('POST', '/v1/staff', { body: { email: 'lee@example.com', name: 'Lee', role: 'support' } });
    secrets.push(linkToken(invited.body.invitation.link));
    const token = await browser.request('POST', '/v1/api-tokens', { body: { name: 'secret-check', scopes: ['licenses:read'] } });
    secrets.push(token.body.token);
    await stack.request('GET', '/v1/licenses', { token: token.body.token });
    const enrol = await browser.request('POST', '/v1/me/two-factor');
    secrets.push(enrol.body.secret);
    const codes = await browser.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(enrol.body.secret) } });
    secrets.push(...codes.body.recovery_codes);
    const newPassword = strongPassword();
    await browser.request('POST', '/v1/me/password', { body: { current_password: owner.password, new_password: newPassword } });
    secrets.push(newPassword);
    await new Browser(stack).signIn(owner.email, 'a wrong password for the log');
    secrets.push('a wrong password for the log');
    // A license revoked from the browser session: its workflow history carries the actor, nothing secret.
    const license = await createLicense(stack);
    const revoked = await browser.request('POST', `/v1/licenses/${license.id}/revoke`, { body: { reason: 'chargeback' } });
    expect(revoked.body.status).toBe('REVOKED');
    const handle = stack.temporal.workflow.getHandle(`license-${license.id}`);
    // Payloads are base64 in the history's JSON: read them as the Web UI shows them.
    const decoded = (value: unknown) => JSON.stringify(value).replace(/"data":"([A-Za-z0-9+/=]+)"/g, (_, data: string) => JSON.stringify(Buffer.from(data, 'base64').toString('utf8')));
    const history = decoded(await handle.fetchHistory()) + decoded((await handle.describe()).raw);
    expect(history).toContain(`staff:${owner.email}`);

    const em = stack.db.orm.em.fork();
    const audit = JSON.stringify(await em.execute('select * from audit_event'));
    const logs = capture.lines.join('');
    expect(logs).toContain('staff sign-in refused');
    for (const secret of secrets) {
      expect([secret, logs.includes(secret), audit.includes(secret), history.includes(secret)]).toEqual([secret, false, false, false]);
    }
    // Stored forms are keyed hashes or sealed: none of the secrets in any identity table either.
    const tables = JSON.stringify(await Promise.all(['staff_member', 'staff_session', 'staff_link', 'recovery_code', 'api_token', 'sign_in_throttle', 'setting'].map((t) => em.execute(`select * from ${t}`))));
    for (const secret of secrets) expect([secret, tables.includes(secret)]).toEqual([secret, false]);
  });
});
