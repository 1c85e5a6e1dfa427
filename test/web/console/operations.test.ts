import type { Browser, Page } from 'playwright-core';
import type { RunningStripeMock } from '../../../lib/stripe-mock.ts';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { eventually } from '../../support/poll.ts';
import { Browser as ApiBrowser, createStaff, totpCode, type StaffAccount } from '../../support/staff.ts';
import { postEvent, startTestStripeMock, stripeEvent, testStripeServices } from '../../support/stripe.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors, type Width } from '../../support/web/chromium.ts';
import { seedAccount, signInThroughPage, type SeededAccount } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';

/**
 * The console's Operations pages in real Chromium against the real stack (Postgres, the
 * Temporal dev server, a worker, stripe-mock behind the Stripe client, the API serving the
 * built console): the outbox and a retry, Stripe events and a replay, staff (invite, role,
 * sessions), API tokens (created once, revoked), signing keys (rotate, retire); what each role
 * is shown; keyboard-only use; axe-core, console errors and screenshots at 1280 and 390 px.
 */
describe('console: operations', () => {
  let stack: ApiStack;
  let stripeMock: RunningStripeMock;
  let chromium: Browser;
  let owner: StaffAccount;
  let support: StaffAccount;
  let finance: StaffAccount;
  let ada: SeededAccount;
  let failedMessageId: string;
  const failedEventId = `evt_OpsUnknownPrice${Date.now()}`;
  const deferredEventId = `evt_OpsDeferred${Date.now()}`;

  const messageOf = async (licenseId: string) =>
    (await stack.request('GET', `/v1/licenses/${licenseId}/messages?event=license_issued`)).body.data[0] as { id: string; status: string } | undefined;
  const delivered = (licenseId: string) =>
    eventually(async () => {
      const message = await messageOf(licenseId);
      return message && message.status !== 'PENDING' ? message : undefined;
    }, { what: 'the license_issued message to settle', timeoutMs: 30_000 });
  const trail = async (query: string) => (await stack.request('GET', `/v1/audit-events?${query}`)).body.data as Array<{ action: string; reason: string | null; actor_label: string | null }>;

  /** A failed license_issued message, as Customer.io would leave one that refused its template. */
  async function failedMessage(): Promise<string> {
    const message = await delivered(ada.license.id);
    await stack.db.orm.em.execute(`update outbox_message set status = 'FAILED', attempts = 3, last_error = 'Customer.io answered 422: the transactional message 7 does not exist' where id = ?`, [message.id]);
    return message.id;
  }

  beforeAll(async () => {
    stripeMock = await startTestStripeMock();
    [stack, chromium] = await Promise.all([startApiStack({ web: true, stripe: testStripeServices(stripeMock) }), launchChromium()]);
    [owner, support, finance] = await Promise.all([
      createStaff(stack, 'owner', { name: 'Olivia Owner' }),
      createStaff(stack, 'support', { name: 'Sam Support' }),
      createStaff(stack, 'finance', { name: 'Fiona Finance' }),
    ]);
    ada = await seedAccount(stack, { name: 'Ada Lovelace' });
    failedMessageId = await failedMessage();
    // Two stored Stripe events, left as a price missing from every plan and a checkout not yet provisioned would leave them.
    for (const id of [failedEventId, deferredEventId]) {
      const event = stripeEvent('customer.created', { id: `cus_${id.slice(4)}`, object: 'customer', email: 'ops@example.com' }, { id });
      expect((await postEvent(stack, testStripeServices(stripeMock).client, event)).status).toBe(200);
    }
    await stack.db.orm.em.execute(
      `update stripe_event set status = 'FAILED', error_code = 'UNKNOWN_PRICE', error = 'price price_Gold2027 is on no plan: add it to a plan''s stripe_price_ids, then replay' where id = ?`,
      [failedEventId],
    );
    await stack.db.orm.em.execute(`update stripe_event set status = 'DEFERRED', detail = 'subscription sub_Ops1 has no license yet' where id = ?`, [deferredEventId]);
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
    await stripeMock?.stop();
  });

  async function signedInPage(width: Width, account: StaffAccount): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, account);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }

  const go = async (page: Page, path: string, heading: string) => {
    await page.goto(`${stack.baseUrl}/admin${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };
  const dialog = (page: Page) => page.getByRole('dialog');

  it('retries a failed message from the outbox, with a reason the audit trail keeps; its detail never shows a key', async () => {
    const { page, errors, close } = await signedInPage(1280, support);
    try {
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Operations' }).click();
      await page.waitForURL(/\/admin\/operations\/outbox$/);
      const table = page.getByRole('table', { name: 'Messages: failed' });
      await table.getByText('Customer.io answered 422').waitFor();

      await table.getByRole('button', { name: 'license_issued' }).first().click();
      await dialog(page).getByText('Delivery workflow').waitFor();
      await dialog(page).getByText(`message-${failedMessageId}`).waitFor();
      expect(await dialog(page).textContent()).not.toContain(ada.license.key);
      await checkPage(page, errors, { app: 'console', name: 'ops-outbox-message', width: 1280 });
      await dialog(page).getByRole('button', { name: 'Send again…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Send this message again?' });
      await confirm.getByText('goes back to Pending').waitFor();
      await confirm.getByRole('button', { name: 'Send again' }).click();
      await confirm.getByText('A reason is required.').waitFor();
      await confirm.getByLabel('Reason').fill('Template 7 restored in Customer.io');
      await confirm.getByRole('button', { name: 'Send again' }).click();
      await page.getByText('1 message sent again').waitFor();
      await page.getByRole('dialog', { name: /Message: license_issued/ }).getByRole('button', { name: 'Close' }).click();

      // Delivered again (no provider here: recorded only), so it leaves the failed list.
      await eventually(async () => ((await messageOf(ada.license.id))?.status === 'NOT_SENT' ? true : undefined), { what: 'the retried message to settle' });
      await page.reload();
      await page.getByText('No failed messages').waitFor();
      const rows = await trail(`target_type=outbox_message&target_id=${failedMessageId}`);
      expect(rows).toEqual([expect.objectContaining({ action: 'message.retried', reason: 'Template 7 restored in Customer.io', actor_label: support.email })]);

      await page.getByLabel('Status').selectOption('any');
      await page.getByLabel('Event').fill('renewal_task');
      await page.getByText('No “renewal_task” messages').waitFor();
      await page.waitForURL(/event=renewal_task/);
      await page.getByLabel('Event').fill('');
      await page.getByLabel('Status').selectOption('SENT');
      await page.getByText('No sent messages').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'ops-outbox-empty', width: 1280 });
    } finally {
      await close();
    }
  });

  it('sends a pending message now from its detail, with a reason the audit trail keeps', async () => {
    // A message left PENDING with no delivery running (as when Temporal was unreachable when it was queued).
    const waiting = await seedAccount(stack, { name: 'Grace Hopper' });
    const message = await delivered(waiting.license.id);
    // Its first delivery has ended (the row settles a moment before the run closes).
    await stack.temporal.workflow.getHandle(`message-${message.id}`).result();
    await stack.db.orm.em.execute(`update outbox_message set status = 'PENDING', attempts = 2, last_error = 'Customer.io answered 503' where id = ?`, [message.id]);
    const { page, errors, close } = await signedInPage(390, support);
    try {
      await go(page, '/operations/outbox?status=PENDING', 'Outbox');
      const table = page.getByRole('table', { name: 'Messages: pending' });
      await table.getByText('Customer.io answered 503').waitFor();
      await table.getByRole('button', { name: 'license_issued' }).first().click();
      await dialog(page).getByText(`message-${message.id}`).waitFor();
      expect(await dialog(page).getByRole('button', { name: 'Send again…' }).count()).toBe(0);
      await dialog(page).getByRole('button', { name: 'Send now…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Send this message now?' });
      await confirm.getByText('stops waiting to try again').waitFor();
      await confirm.getByLabel('Reason').fill('The customer is on the phone');
      await checkPage(page, errors, { app: 'console', name: 'ops-outbox-send-now', width: 390 });
      await confirm.getByRole('button', { name: 'Send now' }).click();
      await page.getByText('“license_issued” is being sent now').waitFor();
      // Delivered (no provider here: recorded only).
      await eventually(async () => ((await messageOf(waiting.license.id))?.status === 'NOT_SENT' ? true : undefined), { what: 'the message sent now to settle' });
      expect(await trail(`target_type=outbox_message&target_id=${message.id}`)).toEqual([
        expect.objectContaining({ action: 'message.send_requested', reason: 'The customer is on the phone', actor_label: support.email }),
      ]);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('can be used from the keyboard alone: select a failed message, retry the selection, give the reason', async () => {
    failedMessageId = await failedMessage();
    const { page, errors, close } = await signedInPage(1280, support);
    try {
      await go(page, '/operations/outbox', 'Outbox');
      await page.getByRole('table', { name: 'Messages: failed' }).waitFor();
      await page.locator('#main').focus();
      await tabTo(page, (element) => element.tag === 'input' && (element.label ?? '').startsWith('Select license_issued'));
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Space');
      // The button sits above the table: back to it with Shift+Tab.
      const focusedText = () => page.evaluate('document.activeElement.innerText') as Promise<string>;
      for (let presses = 0; (await focusedText()) !== 'Retry selected (1)'; presses++) {
        if (presses > 20) throw new Error('Retry selected was not reached with Shift+Tab');
        await page.keyboard.press('Shift+Tab');
      }
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('dialog', { name: 'Send this message again?' });
      await confirm.waitFor();
      // The dialog takes focus: its first field is the reason.
      if ((await page.evaluate('document.activeElement.tagName')) !== 'TEXTAREA') await tabTo(page, (element) => element.tag === 'textarea');
      await page.keyboard.type('Keyboard-only retry');
      await tabTo(page, (element) => element.text === 'Send again');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByText('1 message sent again').waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('names the fault of a failed Stripe event, lists deferred ones, and replays with a reason (finance)', async () => {
    const { page, errors, close } = await signedInPage(1280, finance);
    try {
      await go(page, '/operations/stripe-events', 'Stripe events');
      const table = page.getByRole('table', { name: 'Stripe events: failed' });
      await table.getByText('UNKNOWN_PRICE').waitFor();
      await table.getByText(/price_Gold2027 is on no plan/).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'ops-stripe-events', width: 1280 });

      await table.getByRole('button', { name: `Replay ${failedEventId}` }).click();
      const confirm = page.getByRole('dialog', { name: `Replay ${failedEventId}?` });
      await confirm.getByText('A change already applied is not applied twice.').waitFor();
      await confirm.getByLabel('Reason').fill('price_Gold2027 added to the Gold plan');
      await confirm.getByRole('button', { name: 'Replay the event' }).click();
      await page.getByText(`${failedEventId} replayed: ignored`).waitFor();
      await page.getByText('No failed Stripe events').waitFor();
      expect(await trail(`target_type=stripe_event&target_id=${failedEventId}`)).toEqual([
        expect.objectContaining({ action: 'stripe_event.replayed', reason: 'price_Gold2027 added to the Gold plan', actor_label: finance.email }),
      ]);

      await page.getByLabel('Status').selectOption('DEFERRED');
      await page.getByRole('table', { name: 'Stripe events: deferred' }).getByText('subscription sub_Ops1 has no license yet').waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('invites a member with the link to hand over, changes a role and ends sessions with reasons (owner)', async () => {
    const { page, errors, close } = await signedInPage(1280, owner);
    try {
      await go(page, '/operations/staff', 'Staff');
      await page.getByRole('table', { name: 'Staff members' }).getByRole('link', { name: 'Sam Support' }).waitFor();
      await page.getByRole('button', { name: 'Invite a member' }).click();
      const invite = page.getByRole('dialog', { name: 'Invite a staff member' });
      await invite.getByLabel('E-mail').fill('not-an-email');
      await invite.getByLabel('Name').fill('Nina New');
      await invite.getByLabel('Role').selectOption('finance');
      await invite.getByRole('button', { name: 'Send the invitation' }).click();
      await invite.getByText(/Invalid email/i).waitFor();
      const email = `nina-${Date.now()}@example.com`;
      await invite.getByLabel('E-mail').fill(email);
      await invite.getByRole('button', { name: 'Send the invitation' }).click();
      const invited = page.getByRole('dialog', { name: 'Nina New is invited' });
      const link = await invited.getByRole('group', { name: 'One-time link' }).locator('code').textContent();
      expect(link).toMatch(new RegExp(`^${stack.baseUrl}/admin/link#token=kwl_`));
      await invited.getByText('No e-mail provider is configured').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'ops-staff-invited', width: 1280 });
      await invited.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('table', { name: 'Staff members' }).getByRole('link', { name: 'Nina New' }).waitFor();

      // Sam signs in elsewhere; the owner sees that session, then ends it and all the others.
      const elsewhere = new ApiBrowser(stack);
      expect((await elsewhere.signIn(support.email, support.password)).status).toBe(201);
      await page.getByRole('link', { name: 'Sam Support' }).click();
      await page.getByRole('heading', { name: 'Sam Support', level: 1 }).waitFor();
      const sessions = page.getByRole('table', { name: "Sam Support's sessions" });
      await sessions.getByRole('row').nth(1).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'ops-staff-member-sessions', width: 1280 });

      await page.getByRole('button', { name: 'Change role…' }).click();
      const roleDialog = page.getByRole('dialog', { name: "Change Sam Support's role" });
      await roleDialog.getByLabel('New role').selectOption('finance');
      await roleDialog.getByText('From Support to Finance').waitFor();
      await roleDialog.getByLabel('Reason').fill('Moved to the billing team');
      await roleDialog.getByRole('button', { name: 'Change the role' }).click();
      await page.getByText('Sam Support is now Finance').waitFor();
      await page.locator('#member-account').getByText('Finance').waitFor();

      const before = (await sessions.getByRole('row').count()) - 1;
      await sessions.getByRole('button', { name: /End the session/ }).first().click();
      const endOne = page.getByRole('dialog', { name: 'End this session?' });
      await endOne.getByLabel('Reason').fill('Laptop left at the conference');
      await endOne.getByRole('button', { name: 'End the session' }).click();
      await page.getByText('Session ended').waitFor();
      await eventually(async () => ((await sessions.getByRole('row').count()) - 1 === before - 1 ? true : undefined), { what: 'one session fewer' });
      expect((await trail('action=session.revoked')).map((row) => row.reason)).toContain('Laptop left at the conference');

      await page.getByRole('button', { name: 'Sign out everywhere…' }).click();
      const everywhere = page.getByRole('dialog', { name: 'Sign Sam Support out everywhere?' });
      await everywhere.getByLabel('Reason').fill('Role change: fresh sign-in');
      await everywhere.getByRole('button', { name: /^End \d+ sessions?$/ }).click();
      await page.getByText('Not signed in anywhere').waitFor();
      expect((await trail('action=staff.signed_out_everywhere')).map((row) => row.reason)).toContain('Role change: fresh sign-in');
      expect((await elsewhere.request('GET', '/v1/me')).status).toBe(401);

      // Disabling asks why, and the directory says so; the last owner cannot demote themself (the API's answer shows in the dialog).
      await go(page, '/operations/staff', 'Staff');
      await page.getByRole('link', { name: 'Nina New' }).click();
      await page.getByRole('heading', { name: 'Nina New', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Disable…' }).click();
      const disable = page.getByRole('dialog', { name: 'Disable Nina New?' });
      await disable.getByText('signed out of every session at once').waitFor();
      await disable.getByLabel('Reason').fill('Contract ended');
      await disable.getByRole('button', { name: 'Disable the account' }).click();
      await page.locator('#member-account').getByText('Disabled').waitFor();
      await page.getByRole('button', { name: 'Enable…' }).waitFor();
      await go(page, `/operations/staff/${owner.id}`, 'Olivia Owner (you)');
      await page.getByRole('button', { name: 'Change role…' }).click();
      const demote = page.getByRole('dialog', { name: "Change Olivia Owner's role" });
      await demote.getByLabel('New role').selectOption('admin');
      await demote.getByLabel('Reason').fill('Handing over');
      await demote.getByRole('button', { name: 'Change the role' }).click();
      await demote.getByText(/owner/i).first().waitFor();
      await demote.locator('[aria-invalid="true"]').waitFor();
      expect((await stack.request('GET', `/v1/staff/${owner.id}`)).body.role).toBe('owner');
      await checkPage(page, errors, { app: 'console', name: 'ops-staff-last-owner', width: 1280 });
      await page.keyboard.press('Escape');

      // A lost authenticator: the owner resets a member's two-factor, with a reason.
      const fiona = new ApiBrowser(stack);
      expect((await fiona.signIn(finance.email, finance.password)).status).toBe(201);
      const enrolment = await fiona.request('POST', '/v1/me/two-factor');
      expect((await fiona.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(enrolment.body.secret) } })).status).toBe(200);
      await go(page, `/operations/staff/${finance.id}`, 'Fiona Finance');
      await page.getByRole('button', { name: 'Reset two-factor…' }).click();
      const reset = page.getByRole('dialog', { name: "Reset Fiona Finance's two-factor?" });
      await reset.getByLabel('Reason').fill('Phone lost; identity checked on a video call');
      await reset.getByRole('button', { name: 'Reset two-factor' }).click();
      await page.getByText("Fiona Finance's two-factor is off").waitFor();
      expect((await stack.request('GET', `/v1/staff/${finance.id}`)).body.two_factor_enabled).toBe(false);

      // An unknown member: the error state names the API's code.
      await page.goto(`${stack.baseUrl}/admin/operations/staff/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('alert').getByText('STAFF_NOT_FOUND').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'ops-staff-member-not-found', width: 1280 });
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('creates an API token shown once with copy, lists it without the secret, and revokes it with a reason (owner)', async () => {
    const { page, errors, close } = await signedInPage(1280, owner);
    try {
      await go(page, '/operations/api-tokens', 'API tokens');
      await page.getByRole('button', { name: 'Create a token' }).first().click();
      const create = page.getByRole('dialog', { name: 'Create an API token' });
      await create.getByLabel('Name').fill('grafana-ops');
      await create.getByLabel('Belongs to').selectOption('service');
      await create.getByLabel('Service').fill('grafana');
      await create.getByLabel('tokens:read').check();
      await create.getByRole('button', { name: 'Create the token' }).click();
      const created = page.getByRole('dialog', { name: 'Token “grafana-ops” created' });
      const token = (await created.getByRole('group', { name: 'API token' }).locator('code').first().textContent())!;
      expect(token).toMatch(/^kwa_/);
      await checkPage(page, errors, { app: 'console', name: 'ops-api-token-created', width: 1280 });
      await created.getByRole('button', { name: 'Done' }).click();
      // The token works, and the list never shows it again.
      expect((await stack.request('GET', '/v1/api-tokens', { token })).status).toBe(200);
      const table = page.getByRole('table', { name: 'API tokens' });
      await table.getByText('grafana-ops').waitFor();
      await table.getByText('Service: grafana').waitFor();
      expect(await page.content()).not.toContain(token);
      await table.getByRole('row', { name: /grafana-ops/ }).getByText('Never', { exact: true }).first().waitFor();

      await table.getByRole('button', { name: 'Revoke grafana-ops' }).click();
      const revoke = page.getByRole('dialog', { name: 'Revoke “grafana-ops”?' });
      await revoke.getByText('is refused from now on').waitFor();
      await revoke.getByLabel('Reason').fill('Grafana moved to a new token');
      await revoke.getByRole('button', { name: 'Revoke the token' }).click();
      await page.getByText('grafana-ops revoked').waitFor();
      expect((await stack.request('GET', '/v1/api-tokens', { token })).status).toBe(401);
      await page.getByLabel('Show revoked tokens').check();
      await table.getByRole('row', { name: /grafana-ops/ }).getByText('Revoked').waitFor();
      expect((await trail('action=api_token.revoked')).map((row) => row.reason)).toContain('Grafana moved to a new token');
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('rotates the signing key and retires the old one, each with a reason (owner)', async () => {
    const { page, errors, close } = await signedInPage(1280, owner);
    try {
      await go(page, '/operations/signing-keys', 'Signing keys');
      const table = page.getByRole('table', { name: 'Signing keys' });
      await table.getByText('Active').waitFor();
      const original = (await stack.request('GET', '/v1/signing-keys')).body.data[0].id as string;
      await page.getByRole('button', { name: 'Rotate…' }).click();
      const rotate = page.getByRole('dialog', { name: 'Rotate the signing key?' });
      await rotate.getByText(`The current key ${original} becomes Verifying`).waitFor();
      await rotate.getByLabel('Reason').fill('Quarterly rotation');
      await rotate.getByRole('button', { name: 'Rotate' }).click();
      await page.getByText(/signs from now on/).waitFor();
      await table.getByText('Verifying').waitFor();

      await table.getByRole('button', { name: `Retire ${original}` }).click();
      const retire = page.getByRole('dialog', { name: 'Retire this key?' });
      await retire.getByText('leaves the JWKS').waitFor();
      await retire.getByLabel('Reason').fill('Every client refreshed its keys');
      await retire.getByRole('button', { name: 'Retire the key' }).click();
      await page.getByText('Key retired').waitFor();
      await table.locator('tbody').getByText('Retired', { exact: true }).waitFor();
      const jwks = (await stack.request('GET', '/.well-known/jwks.json', { token: null })).body.keys.map((key: { kid: string }) => key.kid);
      expect(jwks).not.toContain(original);
      expect((await trail('target_type=signing_key')).map((row) => `${row.action}: ${row.reason}`)).toEqual(['signing_key.retired: Every client refreshed its keys', 'signing_key.rotated: Quarterly rotation']);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('shows each role only the buttons it may use, and the API refuses the others', async () => {
    const readOnly = await createStaff(stack, 'read_only', { name: 'Rita Reader' });
    const { page, errors, close } = await signedInPage(1280, readOnly);
    try {
      await go(page, '/operations/outbox', 'Outbox');
      await page.getByLabel('Status').selectOption('any');
      await page.getByRole('table', { name: 'Messages' }).waitFor();
      expect(await page.getByRole('button', { name: /Retry selected/ }).count()).toBe(0);
      await go(page, '/operations/stripe-events', 'Stripe events');
      await page.getByLabel('Status').selectOption('any');
      await page.getByRole('table', { name: 'Stripe events' }).waitFor();
      expect(await page.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
      await go(page, '/operations/staff', 'Staff');
      await page.getByRole('table', { name: 'Staff members' }).waitFor();
      expect(await page.getByRole('button', { name: 'Invite a member' }).count()).toBe(0);
      await go(page, '/operations/api-tokens', 'API tokens');
      expect(await page.getByRole('button', { name: /Create a token|Revoke/ }).count()).toBe(0);
      await go(page, '/operations/signing-keys', 'Signing keys');
      await page.getByRole('table', { name: 'Signing keys' }).waitFor();
      expect(await page.getByRole('button', { name: /Rotate|Retire/ }).count()).toBe(0);

      // Their own sessions they may end, with no reason asked (their own account's endpoints).
      const laptop = new ApiBrowser(stack);
      expect((await laptop.signIn(readOnly.email, readOnly.password)).status).toBe(201);
      await go(page, `/operations/staff/${readOnly.id}`, 'Rita Reader (you)');
      const mine = page.getByRole('table', { name: "Rita Reader's sessions" });
      await mine.getByText('This session').waitFor();
      expect(await page.getByRole('button', { name: /Change role|Disable/ }).count()).toBe(0);
      await mine.getByRole('row', { name: /A script/ }).getByRole('button', { name: /End the session/ }).click();
      const endMine = page.getByRole('dialog', { name: 'End this session?' });
      expect(await endMine.getByLabel('Reason').count()).toBe(0);
      await endMine.getByRole('button', { name: 'End the session' }).click();
      await page.getByText('Session ended').waitFor();
      expect((await laptop.request('GET', '/v1/me')).status).toBe(401);

      // The same writes sent by hand with this session (and its CSRF token) are refused.
      const refused = (await page.evaluate(`(async () => {
        const { csrf_token } = await (await fetch('/v1/sessions/current')).json();
        const post = (path) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf_token }, body: JSON.stringify({ reason: 'trying' }) }).then((answer) => answer.status);
        return [await post('/v1/signing-keys/rotate'), await post('/v1/stripe/events/${deferredEventId}/replay'), await post('/v1/messages/${failedMessageId}/retry')];
      })()`)) as number[];
      expect(refused).toEqual([403, 403, 403]);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  for (const width of WIDTHS) {
    it(`lays out every Operations page at ${width} px: axe-clean, no sideways scroll, no console error`, async () => {
      const { page, errors, close } = await signedInPage(width, owner);
      try {
        const pages: Array<[string, string, string, () => Promise<unknown>]> = [
          ['/operations/outbox?status=any', 'Outbox', 'ops-outbox', () => page.getByRole('table', { name: 'Messages' }).waitFor()],
          ['/operations/stripe-events?status=any', 'Stripe events', 'ops-stripe-events-all', () => page.getByRole('table', { name: 'Stripe events' }).waitFor()],
          ['/operations/staff', 'Staff', 'ops-staff', () => page.getByRole('table', { name: 'Staff members' }).waitFor()],
          [`/operations/staff/${support.id}`, 'Sam Support', 'ops-staff-member', () => page.locator('#member-sessions').waitFor()],
          ['/operations/api-tokens', 'API tokens', 'ops-api-tokens', () => page.getByRole('table', { name: 'API tokens' }).waitFor()],
          ['/operations/signing-keys', 'Signing keys', 'ops-signing-keys', () => page.getByRole('table', { name: 'Signing keys' }).waitFor()],
        ];
        for (const [path, heading, name, loaded] of pages) {
          await go(page, path, heading);
          await loaded();
          // Times show in the viewer's zone (New York here), with UTC on hover.
          const time = page.locator('#main time').first();
          if (await time.count()) expect(await time.getAttribute('title')).toMatch(/ UTC$/);
          await checkPage(page, errors, { app: 'console', name, width });
        }
      } finally {
        await close();
      }
    });
  }
});
