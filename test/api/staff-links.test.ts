import { randomBytes } from 'node:crypto';
import type { OutreachConfig } from '../../lib/outreach-config.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { fakeCustomerIo, selfSignedCertificate } from '../support/fake-providers.ts';
import { Browser, createStaff, linkToken, strongPassword } from '../support/staff.ts';

const snapshot = async (stack: ApiStack, ...tables: string[]) => {
  const rows = [];
  for (const table of tables) rows.push(await stack.db.orm.em.fork().execute(`select * from ${table} order by 1`));
  return JSON.stringify(rows);
};

describe('invitations and password resets by one-time links, e-mailed through Customer.io', () => {
  const tls = selfSignedCertificate();
  const cio = fakeCustomerIo({ siteId: 'site-1', trackApiKey: 'track-key', appApiKey: 'app-key' });
  let stack: ApiStack;

  beforeAll(async () => {
    await cio.start(tls);
    const outreach: OutreachConfig = {
      customerio: { appApiKey: 'app-key', region: 'us', apiUrl: `${cio.url}/v1`, trackUrl: `${cio.url}/api/v1` },
      hubspot: { crmTiers: [] },
      renewalUrlTemplate: 'https://example.com/renew',
      httpTimeoutMs: 2_000,
    };
    stack = await startApiStack({ worker: false, outreach, providerTls: { ca: tls.cert }, identity: { email: { invitationMessageId: 'staff-invite', passwordResetMessageId: 'staff-reset' } } });
  });
  afterAll(async () => {
    await stack?.close();
    await cio.close();
  });

  const emailTo = (email: string) => cio.emails.filter((sent) => sent.to === email);
  const mailedLink = (email: string) => emailTo(email).slice(-1)[0].message_data.link_url as string;

  it('e-mails an invitation (and answers no link), which sets the password once; the member then signs in', async () => {
    const email = `ivy-${randomBytes(3).toString('hex')}@example.com`;
    const invited = await stack.request('POST', '/v1/staff', { body: { email, name: 'Ivy', role: 'support' } });
    expect(invited.body.invitation).toEqual({ expires_at: expect.any(String), delivery: 'SENT', delivery_detail: null, link: null });
    expect(Date.parse(invited.body.invitation.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);
    const [mail] = emailTo(email);
    expect(mail).toMatchObject({ transactional_message_id: 'staff-invite', identifiers: { email }, disable_message_retention: true, message_data: { name: 'Ivy', email } });
    expect(mail.message_data.link_url).toMatch(new RegExp(`^${stack.baseUrl}/admin/link#token=kwl_`));
    const token = linkToken(mail.message_data.link_url);
    // The link is stored as a keyed hash only.
    expect(await snapshot(stack, 'staff_link')).not.toContain(token);
    expect((await stack.request('POST', '/v1/staff-links/inspect', { body: { token }, token: null })).body).toMatchObject({ purpose: 'INVITATION', email, name: 'Ivy' });

    const before = await snapshot(stack, 'staff_member', 'staff_link');
    for (const [password, reason] of [['short', 'TOO_SHORT'], ['password1234', 'COMMON'], ['Qwerty123456!', 'COMMON'], [`${email.split('@')[0]}-long-enough`, 'CONTAINS_EMAIL']]) {
      const weak = await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password }, token: null });
      expect([weak.status, weak.body.code, weak.body.reason]).toEqual([422, 'WEAK_PASSWORD', reason]);
    }
    expect(await snapshot(stack, 'staff_member', 'staff_link')).toBe(before);
    const password = strongPassword();
    expect((await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password }, token: null })).status).toBe(200);
    const reused = await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password: strongPassword() }, token: null });
    expect([reused.status, reused.body.code]).toEqual([410, 'LINK_ALREADY_USED']);
    expect((await new Browser(stack).signIn(email, password)).status).toBe(201);
  });

  it('refuses an expired link, an unknown one, and an older link once a newer one was sent', async () => {
    const member = await createStaff(stack, 'finance', { mailedLink });
    const first = await stack.request('POST', `/v1/staff/${member.id}/password-reset`);
    const second = await stack.request('POST', `/v1/staff/${member.id}/password-reset`);
    expect([first.body.delivery, second.body.delivery]).toEqual(['SENT', 'SENT']);
    const [older, newer] = emailTo(member.email).slice(-2).map((mail) => linkToken(mail.message_data.link_url));
    expect((await stack.request('POST', '/v1/staff-links/redeem', { body: { token: older, password: strongPassword() }, token: null })).body.code).toBe('LINK_ALREADY_USED');
    await stack.db.orm.em.fork().execute(`update staff_link set expires_at = now() - interval '1 second' where used_at is null and staff_member_id = ?`, [member.id]);
    const expired = await stack.request('POST', '/v1/staff-links/redeem', { body: { token: newer, password: strongPassword() }, token: null });
    expect([expired.status, expired.body.code]).toEqual([410, 'LINK_EXPIRED']);
    const unknown = await stack.request('POST', '/v1/staff-links/redeem', { body: { token: `kwl_${'A'.repeat(43)}`, password: strongPassword() }, token: null });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'LINK_INVALID']);
    // The old password still works: nothing changed.
    expect((await new Browser(stack).signIn(member.email, member.password)).status).toBe(201);
  });

  it('resets a forgotten password by e-mail: same answer for unknown e-mails, the reset ends every session', async () => {
    const member = await createStaff(stack, 'admin', { mailedLink });
    const browser = new Browser(stack);
    await browser.signIn(member.email, member.password);
    const sentBefore = cio.emails.length;
    const unknown = await stack.request('POST', '/v1/password-resets', { body: { email: 'nobody@example.com' }, token: null });
    const known = await stack.request('POST', '/v1/password-resets', { body: { email: member.email.toUpperCase() }, token: null });
    expect([unknown.status, known.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    expect(cio.emails.length).toBe(sentBefore + 1);
    const [mail] = emailTo(member.email).slice(-1);
    expect(mail.transactional_message_id).toBe('staff-reset');
    const password = strongPassword();
    expect((await stack.request('POST', '/v1/staff-links/redeem', { body: { token: linkToken(mail.message_data.link_url), password }, token: null })).body.purpose).toBe('PASSWORD_RESET');
    expect((await browser.request('GET', '/v1/me')).body.code).toBe('SESSION_EXPIRED');
    expect((await new Browser(stack).signIn(member.email, member.password)).body.code).toBe('INVALID_CREDENTIALS');
    expect((await new Browser(stack).signIn(member.email, password)).status).toBe(201);
  });

  it('answers the link to the owner when the e-mail could not be sent', async () => {
    const email = `jo-${randomBytes(3).toString('hex')}@example.com`;
    cio.fail('send_email', { status: 500 });
    const invited = await stack.request('POST', '/v1/staff', { body: { email, name: 'Jo', role: 'read_only' } });
    expect(invited.body.invitation).toMatchObject({ delivery: 'FAILED', delivery_detail: expect.stringMatching(/500/), link: expect.stringMatching(/#token=kwl_/) });
    expect(invited.headers.get('cache-control')).toBe('no-store');
    const password = strongPassword();
    expect((await stack.request('POST', '/v1/staff-links/redeem', { body: { token: linkToken(invited.body.invitation.link), password }, token: null })).status).toBe(200);
  });

  it('refuses a link, and a new invitation, for a disabled account', async () => {
    const member = await createStaff(stack, 'support', { mailedLink });
    const sent = await stack.request('POST', `/v1/staff/${member.id}/password-reset`);
    expect(sent.status).toBe(201);
    const token = linkToken(emailTo(member.email).slice(-1)[0].message_data.link_url);
    await stack.request('PATCH', `/v1/staff/${member.id}`, { body: { status: 'DISABLED' } });
    expect((await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password: strongPassword() }, token: null })).body.code).toBe('ACCOUNT_DISABLED');
    expect((await stack.request('POST', `/v1/staff/${member.id}/invitation`)).body.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('the first owner, set up by the one-time link of a start with no staff', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates the owner once; the bootstrap token can be revoked only once an owner exists', async () => {
    const { prepareFirstOwner } = await import('../../domain/staff/prepare-first-owner.ts');
    const bootstrapId = (await stack.request('GET', '/v1/api-tokens')).body.data[0].id;
    const early = await stack.request('DELETE', `/v1/api-tokens/${bootstrapId}`);
    expect([early.status, early.body.code]).toEqual([409, 'NO_STAFF_OWNER']);
    const setup = (await prepareFirstOwner(stack.db.orm.em, stack.secret, stack.baseUrl))!;
    expect(Date.parse(setup.expiresAt.toISOString()) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const token = linkToken(setup.url);
    expect((await stack.request('POST', '/v1/staff-links/inspect', { body: { token }, token: null })).body).toMatchObject({ purpose: 'SETUP', email: null });
    const missing = await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password: strongPassword() }, token: null });
    expect(missing.body.code).toBe('INVALID_REQUEST');
    const password = strongPassword();
    const created = await stack.request('POST', '/v1/staff-links/redeem', { body: { token, password, email: 'Olive@Example.com', name: 'Olive' }, token: null });
    expect(created.body.staff).toMatchObject({ email: 'olive@example.com', role: 'owner', status: 'ACTIVE' });
    expect(await prepareFirstOwner(stack.db.orm.em, stack.secret, stack.baseUrl)).toBeNull();

    const owner = new Browser(stack);
    await owner.signIn('olive@example.com', password);
    const revoked = await owner.request('DELETE', `/v1/api-tokens/${bootstrapId}?reason=${encodeURIComponent('owner set up')}`);
    expect(revoked.body).toMatchObject({ name: 'bootstrap-admin', revoked_by: 'staff:olive@example.com' });
    expect((await stack.request('GET', '/v1/licenses')).status).toBe(401);
    // The last owner stays an owner.
    const me = (await owner.request('GET', '/v1/me')).body;
    const demote = await owner.request('PATCH', `/v1/staff/${me.id}`, { body: { role: 'admin' } });
    expect([demote.status, demote.body.code]).toEqual([409, 'LAST_OWNER']);
    expect((await owner.request('PATCH', `/v1/staff/${me.id}`, { body: { status: 'DISABLED' } })).body.code).toBe('LAST_OWNER');
  });
});
