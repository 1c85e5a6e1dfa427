import { randomUUID } from 'node:crypto';
import { ROUTE_RULES } from '../../api/auth/route-rules.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { eventually } from '../support/poll.ts';
import { testLogger } from '../support/temporal.ts';
import { captureLogs } from '../support/log-capture.ts';
import { activateMachine, portalEmail, portalLinkToken, seedCustomerLicense, signInCustomer } from '../support/portal.ts';
import { Browser, signedIn } from '../support/staff.ts';

/** Every portal route that names a license, with a body each takes. */
const LICENSE_ROUTES = Object.entries(ROUTE_RULES)
  .filter(([route, rule]) => rule.access === 'customer' && route.includes(':id'))
  .map(([route]) => route.split(' ') as [string, string]);

describe('the customer portal API: e-mail link sign-in, own licenses only, self-service within the plan\'s limits', () => {
  const email = portalEmail();
  const logs = captureLogs('debug');
  let stack: ApiStack;

  beforeAll(async () => {
    await email.cio.start(email.tls);
    stack = await startApiStack({ ...email.stackOptions(), logger: logs.logger });
  });
  afterAll(async () => {
    await stack?.close();
    await email.cio.close();
  });

  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) => stack.db.orm.em.fork().execute<T[]>(query, params);

  it('e-mails a single-use, 15-minute link, stored hashed and never logged, with the same answer for an unknown e-mail', async () => {
    const seeded = await seedCustomerLicense(stack);
    const browser = new Browser(stack);
    expect((await browser.request('GET', '/v1/portal/sign-in-methods')).body).toEqual({ email_link: true });
    const known = await browser.request('POST', '/v1/portal/sign-in-links', { body: { email: seeded.email.toUpperCase() } });
    const unknown = await browser.request('POST', '/v1/portal/sign-in-links', { body: { email: `nobody-${randomUUID()}@example.com` } });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    const link = await email.linkFor(seeded.email);
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/portal/link#token=kwc_`));
    const mail = email.cio.emails.find((sent) => sent.to === seeded.email);
    expect(mail).toMatchObject({ identifiers: { email: seeded.email }, disable_message_retention: true, message_data: { email: seeded.email } });
    expect(Date.parse(mail.message_data.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(mail.message_data.expires_at) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const token = portalLinkToken(link);
    expect(JSON.stringify(await sql('select * from customer_link'))).not.toContain(token);
    expect(JSON.stringify(logs.records)).not.toContain(token);

    const signedIn = await browser.request('POST', '/v1/portal/sessions', { body: { token } });
    expect(signedIn.status).toBe(201);
    expect(signedIn.headers.getSetCookie().join()).toMatch(/^kw_customer_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(signedIn.body).toMatchObject({ customer: { email: seeded.email, name: 'Grace Hopper' }, csrf_token: expect.any(String) });
    expect(Date.parse(signedIn.body.idle_expires_at) - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const reused = await new Browser(stack).request('POST', '/v1/portal/sessions', { body: { token } });
    expect([reused.status, reused.body.code]).toEqual([410, 'LINK_ALREADY_USED']);
    const invalid = await new Browser(stack).request('POST', '/v1/portal/sessions', { body: { token: `kwc_${'A'.repeat(43)}` } });
    expect([invalid.status, invalid.body.code]).toEqual([404, 'LINK_INVALID']);

    // An expired link, and one replaced by a newer link.
    await browser.request('POST', '/v1/portal/sign-in-links', { body: { email: seeded.email } });
    const older = portalLinkToken(await email.linkFor(seeded.email, 1));
    await browser.request('POST', '/v1/portal/sign-in-links', { body: { email: seeded.email } });
    const newer = portalLinkToken(await email.linkFor(seeded.email, 2));
    expect((await new Browser(stack).request('POST', '/v1/portal/sessions', { body: { token: older } })).body.code).toBe('LINK_ALREADY_USED');
    await sql(`update customer_link set expires_at = now() - interval '1 second' where used_at is null`);
    const expired = await new Browser(stack).request('POST', '/v1/portal/sessions', { body: { token: newer } });
    expect([expired.status, expired.body.code]).toEqual([410, 'LINK_EXPIRED']);
  });

  it('limits link requests per e-mail (known or not) and per IP address', async () => {
    const address = `flood-${randomUUID()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await stack.request('POST', '/v1/portal/sign-in-links', { body: { email: address }, token: null })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const locked = await stack.request('POST', '/v1/portal/sign-in-links', { body: { email: address }, token: null });
    expect(locked.body.code).toBe('SIGN_IN_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('shows a customer only their own licenses, refusing every other license id on every route, and changes nothing', async () => {
    const mine = await seedCustomerLicense(stack);
    const theirs = await seedCustomerLicense(stack);
    expect((await activateMachine(stack, theirs.key, 'their-laptop')).status).toBe(201);
    const [theirMachine] = await sql<{ id: string }>('select id from activation where license_id = ?', [theirs.licenseId]);
    const browser = await signInCustomer(stack, email, mine.email);

    const list = await browser.request('GET', '/v1/portal/licenses');
    expect(list.body.data.map((license: { id: string }) => license.id)).toEqual([mine.licenseId]);
    const before = JSON.stringify(await sql('select * from activation order by id')) + JSON.stringify(await sql('select count(*) from offline_token'));
    const auditBefore = (await sql<{ n: string }>('select count(*) as n from audit_event where license_id = ?', [theirs.licenseId]))[0]!.n;

    expect(LICENSE_ROUTES.length).toBeGreaterThanOrEqual(7);
    const wrong: string[] = [];
    for (const [method, pattern] of LICENSE_ROUTES) {
      for (const id of [theirs.licenseId, randomUUID()]) {
        const path = pattern.replace(':id', id).replace(':activationId', theirMachine!.id);
        const body = method === 'GET' ? undefined : pattern.endsWith('license-files') ? { fingerprint: 'air-gapped-1' } : {};
        const answer = await browser.request(method, path, { body });
        if (answer.status !== 404 || answer.body.code !== 'PORTAL_LICENSE_NOT_FOUND') wrong.push(`${method} ${path}: ${answer.status} ${answer.body?.code}`);
      }
    }
    expect(wrong).toEqual([]);
    // Another license's machine under one's own license id.
    const crossed = await browser.request('POST', `/v1/portal/licenses/${mine.licenseId}/machines/${theirMachine!.id}/free`);
    expect([crossed.status, crossed.body.code]).toEqual([404, 'ACTIVATION_NOT_FOUND']);
    expect(JSON.stringify(await sql('select * from activation order by id')) + JSON.stringify(await sql('select count(*) from offline_token'))).toBe(before);
    expect((await sql<{ n: string }>('select count(*) as n from audit_event where license_id = ?', [theirs.licenseId]))[0]!.n).toBe(auditBefore);
  });

  it('shows no staff-only field: notes, Stripe ids, internal reasons, who on staff acted', async () => {
    const seeded = await seedCustomerLicense(stack);
    const staff = await signedIn(stack, 'owner');
    await staff.browser.request('PATCH', `/v1/customers/${seeded.customerId}`, { body: { stripe_customer_id: 'cus_SecretStripe123' } });
    await staff.browser.request('POST', `/v1/customers/${seeded.customerId}/notes`, { body: { body: 'internal: this buyer haggles hard' } });
    await sql(`update license set stripe_subscription_id = 'sub_SecretStripe456', metadata = '{"crm": "internal-crm-ref"}' where id = ?`, [seeded.licenseId]);
    expect((await staff.browser.request('POST', `/v1/licenses/${seeded.licenseId}/suspend`, { body: { reason: 'internal reason: chargeback review' } })).status).toBe(200);
    const browser = await signInCustomer(stack, email, seeded.email);
    const answers = [
      await browser.request('GET', '/v1/portal/licenses'),
      await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}`),
      await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}/history`),
      await browser.request('GET', '/v1/portal/session'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const text = JSON.stringify(answers.map((answer) => answer.body));
    for (const secret of ['cus_SecretStripe123', 'sub_SecretStripe456', 'haggles', 'internal-crm-ref', 'chargeback', staff.account.email, 'metadata', 'notes']) expect(text).not.toContain(secret);
    expect(answers[1]!.body).toMatchObject({ status: 'SUSPENDED', status_label: 'Suspended' });
    expect(answers[2]!.body.data.map((event: { summary: string }) => event.summary)).toEqual(expect.arrayContaining(['Suspended', 'License issued']));
  });

  it('frees a seat within the same cap as /v1/deactivate, audited as the customer; the next activation succeeds', async () => {
    const seeded = await seedCustomerLicense(stack);
    for (const machine of ['desk', 'laptop']) expect((await activateMachine(stack, seeded.key, machine)).status).toBe(201);
    expect((await activateMachine(stack, seeded.key, 'new-pc')).body.code).toBe('SEAT_LIMIT_EXCEEDED');
    const browser = await signInCustomer(stack, email, seeded.email);
    const detail = (await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}`)).body;
    expect(detail).toMatchObject({ seats_used: 2, seat_limit: 2, seat_frees: { limit: 1, used: 0, left: 1, period_days: 30 }, license_files: { limit: 2, used: 0, left: 2 } });
    expect(detail.machines.map((m: { name: string }) => m.name).sort()).toEqual(['desk', 'laptop']);
    const desk = detail.machines.find((m: { name: string }) => m.name === 'desk');

    const noCsrf = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/machines/${desk.id}/free`, { csrf: false });
    expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const crossSite = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/machines/${desk.id}/free`, { origin: 'https://evil.example' });
    expect([crossSite.status, crossSite.body.code]).toEqual([403, 'CROSS_ORIGIN_REQUEST']);

    const freed = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/machines/${desk.id}/free`, { headers: { 'user-agent': 'portal-test-agent' } });
    expect([freed.status, freed.body]).toEqual([200, { seats_used: 1, frees_left: 0 }]);
    expect((await activateMachine(stack, seeded.key, 'new-pc')).status).toBe(201);
    const [audit] = await sql('select actor, actor_label, ip, user_agent, action from audit_event where license_id = ? and action = ? order by created_at desc limit 1', [seeded.licenseId, 'activation.deactivated']);
    expect(audit).toEqual({ actor: `customer:${seeded.customerId}`, actor_label: seeded.email, ip: '127.0.0.1', user_agent: 'portal-test-agent', action: 'activation.deactivated' });

    // The cap is shared: the software's own /v1/deactivate is refused now, and so is a second free.
    expect((await stack.request('POST', '/v1/deactivate', { body: { key: seeded.key, fingerprint: 'laptop' }, token: null })).body.code).toBe('DEACTIVATION_LIMIT_REACHED');
    const laptop = detail.machines.find((m: { name: string }) => m.name === 'laptop');
    const over = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/machines/${laptop.id}/free`);
    expect([over.status, over.body.code]).toEqual([409, 'DEACTIVATION_LIMIT_REACHED']);
    expect(over.body.detail).toMatch(/freed 1 of the 1 seats/);
  });

  it('reveals the key (audited, never the key itself) and makes license files within the plan\'s monthly limit', async () => {
    const seeded = await seedCustomerLicense(stack);
    const browser = await signInCustomer(stack, email, seeded.email);
    const revealed = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/key`);
    expect([revealed.status, revealed.body, revealed.headers.get('cache-control')]).toEqual([200, { key: seeded.key }, 'no-store']);
    const rows = await sql('select actor, after from audit_event where license_id = ? and action = ?', [seeded.licenseId, 'license.key_revealed']);
    expect(rows).toEqual([{ actor: `customer:${seeded.customerId}`, after: { key_hint: expect.any(String) } }]);
    expect(JSON.stringify(await sql('select * from audit_event where license_id = ?', [seeded.licenseId]))).not.toContain(seeded.key);

    const files = `/v1/portal/licenses/${seeded.licenseId}/license-files`;
    for (const [fingerprint, message] of [['   ', /type the machine/], ['x'.repeat(256), /at most 255/]] as const) {
      const bad = await browser.request('POST', files, { body: { fingerprint } });
      expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_REQUEST']);
      expect(bad.body.errors).toEqual([{ field: 'fingerprint', message: expect.stringMatching(message) }]);
    }
    for (const machine of ['vault-1', 'vault-2']) {
      const file = await browser.request('POST', files, { body: { fingerprint: machine } });
      expect([file.status, file.headers.get('content-type')]).toEqual([201, 'application/x-keywarden-license']);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.kwlicense"$/);
      expect(file.body).toMatch(new RegExp(`^-----BEGIN KEYWARDEN LICENSE-----\\nLicense-Id: ${seeded.licenseId}\\n[\\s\\S]*Machine: ${machine}\\n`));
    }
    const over = await browser.request('POST', files, { body: { fingerprint: 'vault-3' } });
    expect([over.status, over.body.code]).toEqual([409, 'LICENSE_FILE_LIMIT_REACHED']);
    expect((await sql('select issued_by from offline_token where license_id = ?', [seeded.licenseId])).map((row) => row.issued_by)).toEqual([`customer:${seeded.customerId}`, `customer:${seeded.customerId}`]);
  });

  it('replaces a leaked key: the old key answers KEY_ROTATED, the new one VALID, on two replicas; machines keep their seats', async () => {
    const seeded = await seedCustomerLicense(stack);
    expect((await activateMachine(stack, seeded.key, 'desk')).status).toBe(201);
    const cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
    await cache.start();
    const other = await startReplica(stack, { cache });
    const validate = async (base: string, key: string) =>
      ((await (await fetch(`${base}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, fingerprint: 'desk' }) })).json()) as { code: string }).code;
    try {
      expect([await validate(stack.baseUrl, seeded.key), await validate(other.url, seeded.key)]).toEqual(['VALID', 'VALID']);
      const browser = await signInCustomer(stack, email, seeded.email);
      const rotated = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/rotate-key`, { body: { reason: 'pasted it in a public chat' } });
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({ key: expect.stringMatching(/^KW-/), emailed: true });
      expect(rotated.body.key).not.toBe(seeded.key);
      for (const base of [stack.baseUrl, other.url]) {
        await eventually(async () => ((await validate(base, seeded.key)) === 'KEY_ROTATED' ? true : undefined), { what: `the old key refused at ${base}` });
        expect(await validate(base, rotated.body.key)).toBe('VALID');
      }
      expect((await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}`)).body).toMatchObject({ seats_used: 1, key_hint: rotated.body.key_hint });
      const [audit] = await sql('select actor, reason from audit_event where license_id = ? and action = ?', [seeded.licenseId, 'license.key_rotated']);
      expect(audit).toEqual({ actor: `customer:${seeded.customerId}`, reason: 'by the customer in the portal: pasted it in a public chat' });
      expect((await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}/history`)).body.data[0]).toMatchObject({ summary: 'Key replaced', by_you: true });
    } finally {
      await other.close();
      await cache.close();
    }
  });

  it('takes only a customer session: not a staff session, not a token; and a customer session opens no admin route', async () => {
    const seeded = await seedCustomerLicense(stack);
    const staff = await signedIn(stack, 'owner');
    for (const answer of [
      await staff.browser.request('GET', '/v1/portal/licenses'),
      await stack.request('GET', '/v1/portal/licenses'),
      await stack.request('GET', '/v1/portal/licenses', { token: null }),
    ]) expect([answer.status, answer.body.code]).toEqual([401, 'UNAUTHORIZED']);
    const browser = await signInCustomer(stack, email, seeded.email);
    for (const path of ['/v1/licenses', `/v1/licenses/${seeded.licenseId}`, '/v1/me']) expect((await browser.request('GET', path)).status).toBe(401);
  });

  it('ends a session after 30 minutes idle, and on sign-out', async () => {
    const seeded = await seedCustomerLicense(stack);
    const browser = await signInCustomer(stack, email, seeded.email);
    expect((await browser.request('GET', '/v1/portal/licenses')).status).toBe(200);
    await sql(`update customer_session set idle_expires_at = now() - interval '1 second' where owner_id = ?`, [seeded.customerId]);
    const idle = await browser.request('GET', '/v1/portal/licenses');
    expect([idle.status, idle.body.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect(idle.body.detail).toMatch(/idle for 30 minutes/);

    const again = await signInCustomer(stack, email, seeded.email);
    expect((await again.request('DELETE', '/v1/portal/session')).status).toBe(204);
    expect((await again.request('GET', '/v1/portal/licenses')).status).toBe(401);
    expect((await sql('select action from audit_event where actor = ? order by created_at', [`customer:${seeded.customerId}`])).map((row) => row.action)).toEqual([
      'customer.sign_in_link_requested',
      'customer.signed_in',
      'customer.sign_in_link_requested',
      'customer.signed_in',
      'customer.signed_out',
    ]);
  });

  it('renews through the seller\'s RENEWAL_URL_TEMPLATE, or says to contact the seller when it points back at /renew; /renew leads into the portal', async () => {
    const seeded = await seedCustomerLicense(stack);
    const browser = await signInCustomer(stack, email, seeded.email);
    expect((await browser.request('GET', `/v1/portal/licenses/${seeded.licenseId}`)).body.renewal).toBe('SELLER_PAGE');
    const opened = await browser.request('POST', `/v1/portal/licenses/${seeded.licenseId}/renewal`);
    expect(opened.body).toEqual({ kind: 'SELLER_PAGE', url: `http://127.0.0.1:1/renew?license=${seeded.licenseId}` });

    const own = await startReplica(stack, { ...email.stackOptions({ renewalUrlTemplate: `${stack.baseUrl}/renew?license={license_id}` }), identity: stack.identity });
    try {
      const viaReplica = await fetch(`${own.url}/v1/portal/licenses/${seeded.licenseId}/renewal`, {
        method: 'POST',
        headers: { cookie: `kw_customer_session=${browser.cookies.get('kw_customer_session')}`, origin: stack.baseUrl, 'x-csrf-token': browser.csrfToken! },
      });
      expect([viaReplica.status, ((await viaReplica.json()) as { code: string }).code]).toEqual([409, 'RENEWAL_NOT_AVAILABLE']);
    } finally {
      await own.close();
    }
    const renew = await fetch(`${stack.baseUrl}/renew?license=${seeded.licenseId}`, { redirect: 'manual' });
    expect([renew.status, renew.headers.get('location')]).toEqual([302, `/portal/renew?license=${seeded.licenseId}`]);
  });

  it('says e-mail sign-in is unavailable without an e-mail provider', async () => {
    const bare = await startReplica(stack, { identity: stack.identity });
    try {
      expect(await (await fetch(`${bare.url}/v1/portal/sign-in-methods`)).json()).toEqual({ email_link: false });
      const asked = await fetch(`${bare.url}/v1/portal/sign-in-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com' }) });
      expect([asked.status, ((await asked.json()) as { code: string }).code]).toEqual([404, 'EMAIL_SIGN_IN_UNAVAILABLE']);
    } finally {
      await bare.close();
    }
  });
});
