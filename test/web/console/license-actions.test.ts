import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors, type Width } from '../../support/web/chromium.ts';
import { activate, signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';
import { SCREENSHOTS } from '../../support/web/artifacts.ts';
import { Browser as ApiBrowser, createStaff, type StaffAccount } from '../../support/staff.ts';
import { eventually } from '../../support/poll.ts';

/**
 * The license actions of the console's account view in real Chromium against the real stack
 * (Postgres, the Temporal dev server, a worker, the API): extend a trial and see the new date in
 * the next validation; change the plan through its preview; free a seat; edit the terms; issue a
 * license file; revoke with a reason and see REVOKED; create a license by hand. A support member
 * sees only the buttons of their role and the API refuses the others; a cross-origin form post is
 * refused; a session that expires mid-action comes back to the open form with the typed note.
 * Every page and dialog at 1280 and 390 px with axe-core, no console errors, screenshots.
 */
describe('console: license actions', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let admin: StaffAccount;
  let support: StaffAccount;
  let customer: { id: string; email: string; name: string };
  let team: { id: string; code: string };
  let enterprise: { id: string; code: string };

  const hex = () => randomBytes(3).toString('hex');
  async function created(method: string, path: string, body: unknown) {
    const answer = await stack.request(method, path, { body });
    if (answer.status !== 201) throw new Error(`${path} (${answer.status}): ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
  /** A license of the customer: a trial, or paid until 2027-09-01. */
  const license = async (kind: 'trial' | 'paid') =>
    (await created('POST', '/v1/licenses', { plan_id: team.id, customer_id: customer.id, ...(kind === 'trial' ? { trial: true } : { expires_at: '2027-09-01T00:00:00Z' }), notify: false })) as { id: string; key: string };
  const validate = async (key: string) => (await stack.request('POST', '/v1/validate', { body: { key }, token: null })).body;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true }), launchChromium()]);
    [admin, support] = await Promise.all([createStaff(stack, 'admin', { name: 'Katherine Johnson' }), createStaff(stack, 'support', { name: 'Dorothy Vaughan' })]);
    const product = await created('POST', '/v1/products', { code: `studio-${hex()}`, name: 'Acme Studio' });
    const policy = { term_kind: 'DURATION', term_days: 365, trial_days: 14 };
    team = await created('POST', '/v1/plans', { product_id: product.id, code: `standard-${hex()}`, name: 'Standard', tier: 'standard', seat_limit: 10, features: { export: true, projects: 25 }, ...policy });
    enterprise = await created('POST', '/v1/plans', { product_id: product.id, code: `enterprise-${hex()}`, name: 'Enterprise', tier: 'enterprise', seat_limit: null, features: { export: true, projects: 100, sso: true }, ...policy });
    const email = `ada-${hex()}@example.com`;
    const made = await created('POST', '/v1/customers', { email, name: 'Ada Lovelace' });
    customer = { id: made.id, email, name: 'Ada Lovelace' };
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function signedIn(width: Width, account: StaffAccount) {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, account);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }
  const openLicense = async (page: Page, id: string) => {
    await page.goto(`${stack.baseUrl}/admin/accounts/${customer.id}?license=${id}`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.locator('#license-actions').waitFor();
  };
  const actions = (page: Page) => page.getByRole('group', { name: 'License actions' });
  const dialog = (page: Page) => page.getByRole('dialog');
  const result = (page: Page) => page.locator('#license-actions').getByRole('status');
  async function run(page: Page, button: string, fill: (page: Page) => Promise<void>, confirm: string, errors: ConsoleErrors, shot: { name: string; width: Width }) {
    await actions(page).getByRole('button', { name: button, exact: true }).click();
    await dialog(page).waitFor();
    await fill(page);
    await checkPage(page, errors, { app: 'console', ...shot });
    await dialog(page).getByRole('button', { name: confirm, exact: true }).click();
    await dialog(page).waitFor({ state: 'hidden' });
  }

  it('signs in, finds a license by e-mail, extends its trial: the next validation returns the new date (1280 px)', async () => {
    const trial = await license('trial');
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await page.getByRole('searchbox', { name: 'Search licenses' }).fill(customer.email);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const results = page.getByRole('table', { name: 'Search results' });
      await results.getByRole('link', { name: 'Ada Lovelace' }).first().click();
      await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
      await openLicense(page, trial.id);
      for (const label of ['Extend trial', 'Change plan', 'Set expiry', 'Suspend', 'Edit terms', 'Revoke']) await actions(page).getByRole('button', { name: label, exact: true }).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'account-actions', width: 1280 });

      const before = (await validate(trial.key)).license.trial_ends_at as string;
      const day = new Date(Date.parse(before) + 30 * 86_400_000).toISOString().slice(0, 10);
      await run(
        page,
        'Extend trial',
        async () => {
          await dialog(page).getByText('It will end at the end of').waitFor();
          await dialog(page).getByLabel('New trial end').fill(day);
          await dialog(page).getByLabel('Note').fill('Evaluation slipped a month: the customer’s security review is on the 20th.');
          await dialog(page).getByText(day).waitFor();
        },
        'Extend trial',
        errors,
        { name: 'action-extend-trial', width: 1280 },
      );
      await result(page).getByText(`Trial extended to ${day}.`).waitFor();
      expect((await validate(trial.key)).license.trial_ends_at).toBe(`${day}T23:59:59.000Z`);
      // The page shows it: the license's trial end and its audit trail.
      await page.getByRole('tab', { name: /Audit trail/ }).click();
      await page.getByRole('tabpanel').getByText('“Evaluation slipped a month: the customer’s security review is on the 20th.”').waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('changes the plan through the preview, frees a seat, edits the terms, issues a license file, revokes with a reason: validation follows each (1280 px)', async () => {
    const paid = await license('paid');
    await activate(stack, paid.key, { fingerprint: 'fp-ada-laptop', name: "Ada's MacBook", hostname: 'ada-mbp.local', platform: 'macOS 15' });
    await activate(stack, paid.key, { fingerprint: 'fp-engine', name: 'Analytical Engine', hostname: 'engine-01', platform: 'Linux' });
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await openLicense(page, paid.id);
      await page.getByRole('table', { name: /Activation history/ }).getByText('Analytical Engine').waitFor();
      await page.locator('#license-timeline').getByText('Renewal reminder').first().waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/console/readme-account-actions-1280.png`, animations: 'disabled' });

      // Change the plan: the confirmation in the articles' words, from the real plans and the dry run.
      await run(
        page,
        'Change plan',
        async () => {
          await dialog(page).getByLabel('New plan').selectOption({ label: 'Enterprise (enterprise, unlimited seats)' });
          await dialog(page)
            .getByText(
              `Change account Ada Lovelace (${customer.email}) from Standard (10 seats, expires 2027-09-01) to Enterprise (unlimited seats, expires 2027-09-01)? This will update feature entitlements and the seat limit immediately.`,
            )
            .waitFor();
          await dialog(page).getByRole('list', { name: 'What changes' }).getByText('Seats: 10 → unlimited').waitFor();
          await dialog(page).getByRole('list', { name: 'What changes' }).getByText('Features: projects 25 → 100; + sso').waitFor();
          await dialog(page).getByLabel('Reason').fill('Upgrade signed on the renewal call');
          // What the README shows: the viewport, as staff see it.
          await page.screenshot({ path: `${SCREENSHOTS}/console/readme-change-plan-1280.png`, animations: 'disabled' });
        },
        'Change plan',
        errors,
        { name: 'action-change-plan', width: 1280 },
      );
      await result(page).getByText('Plan changed to Enterprise.').waitFor();
      expect((await validate(paid.key)).license).toMatchObject({ plan: enterprise.code, seat_limit: null, features: { sso: true, projects: 100 } });

      // Free a seat: the machine picked, the seats before and after.
      await run(
        page,
        'Free a seat',
        async () => {
          const machine = dialog(page).getByLabel('Machine');
          await machine.selectOption((await machine.locator('option', { hasText: 'Analytical Engine' }).getAttribute('value'))!);
          await dialog(page).getByText('seats used go from 2 to 1 (unlimited)').waitFor();
          await dialog(page).getByLabel('Reason').fill('Machine scrapped; customer asked by e-mail');
        },
        'Free the seat',
        errors,
        { name: 'action-free-seat', width: 1280 },
      );
      await result(page).getByText('Seat freed: Analytical Engine is deactivated.').waitFor();
      expect((await validate(paid.key)).license.current_activations).toBe(1);
      await page.getByRole('table', { name: /Activation history/ }).getByText('Deactivated', { exact: true }).waitFor();

      // Edit the terms: the server's dry run lists the changes as they are typed.
      await run(
        page,
        'Edit terms',
        async () => {
          await dialog(page).getByLabel('Seat limit').fill('25');
          await dialog(page).getByLabel('Renewal value').fill('12000');
          await dialog(page).getByLabel('Currency').fill('eur');
          await dialog(page).getByRole('list', { name: 'What changes' }).getByText('Seats: unlimited → 25').waitFor();
          await dialog(page).getByRole('list', { name: 'What changes' }).getByText('metadata.renewal_value: — → 12000').waitFor();
          await dialog(page).getByLabel('Reason').fill('Enterprise deal: 25 seats, 12,000 EUR a year');
        },
        'Save terms',
        errors,
        { name: 'action-edit-terms', width: 1280 },
      );
      await result(page).getByText(/^Terms saved/).waitFor();
      expect((await validate(paid.key)).license.seat_limit).toBe(25);
      expect((await stack.request('GET', `/v1/licenses/${paid.id}`)).body.metadata).toEqual({ renewal_value: 12000, currency: 'EUR' });

      // A license file for an air-gapped machine, downloaded.
      await actions(page).getByRole('button', { name: 'Offline token', exact: true }).click();
      await dialog(page).getByLabel('Machine fingerprint').fill('air-gapped-lab-7');
      await dialog(page).getByLabel('Reason').fill('Lab 7 has no network (ticket 4411)');
      await checkPage(page, errors, { app: 'console', name: 'action-offline-token', width: 1280 });
      const [download] = await Promise.all([page.waitForEvent('download'), dialog(page).getByRole('button', { name: 'Issue and download' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.kwlicense$/);
      await result(page).getByText(/^License file .+\.kwlicense issued and downloaded\.$/).waitFor();
      const log = (await stack.request('GET', `/v1/licenses/${paid.id}/offline-tokens`)).body.data;
      expect(log[0]).toMatchObject({ fingerprint: 'air-gapped-lab-7', issued_by: `staff:${admin.email}` });
      const issuedEvent = (await stack.request('GET', `/v1/licenses/${paid.id}`)).body.audit_events.find((e: { action: string }) => e.action === 'license.offline_token_issued');
      expect(issuedEvent).toMatchObject({ reason: 'Lab 7 has no network (ticket 4411)', actor: `staff:${admin.id}`, actor_label: admin.email });

      // Revoke: said plainly, with the reason; the next validation answers REVOKED.
      await run(
        page,
        'Revoke',
        async () => {
          await dialog(page).getByText('Revoking is permanent.').waitFor();
          // Without a reason it does not run: the field says why.
          await dialog(page).getByRole('button', { name: 'Revoke for good' }).click();
          await dialog(page).getByText('Write why: it goes to the audit trail.').waitFor();
          expect(await dialog(page).getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
          await dialog(page).getByLabel('Reason').fill('Chargeback on invoice 2291');
        },
        'Revoke for good',
        errors,
        { name: 'action-revoke', width: 1280 },
      );
      await result(page).getByText('License revoked. Validation now answers REVOKED.').waitFor();
      expect(await validate(paid.key)).toMatchObject({ valid: false, code: 'REVOKED' });
      await page.getByText('A revoked license cannot change.').waitFor();
      await page.locator('#license-summary').getByText('Chargeback on invoice 2291').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'account-revoked', width: 1280 });

    } finally {
      await close();
    }
  });

  it('creates a license by hand and shows its key once (1280 px)', async () => {
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await page.goto(`${stack.baseUrl}/admin/accounts/${customer.id}`);
      await page.getByRole('button', { name: 'New license' }).click();
      await dialog(page).getByLabel('Plan').selectOption({ label: 'Acme Studio · Standard (standard)' });
      await dialog(page).getByLabel('Expires').fill('2027-06-30');
      await dialog(page).getByText('expires 2027-06-30').waitFor();
      await dialog(page).getByLabel('Note').fill('Purchase order PO-7781, paid by bank transfer');
      await checkPage(page, errors, { app: 'console', name: 'action-new-license', width: 1280 });
      await dialog(page).getByRole('button', { name: 'Create license' }).click();
      const shown = page.getByRole('dialog', { name: 'License created' });
      const key = (await shown.getByLabel('License key').textContent())!;
      expect(key).toMatch(/^KW-/);
      await checkPage(page, errors, { app: 'console', name: 'action-new-license-key', width: 1280 });
      await shown.getByRole('button', { name: 'Done' }).click();
      expect(await validate(key)).toMatchObject({ valid: true, license: { expires_at: '2027-06-30T23:59:59.000Z' } });
      const id = new URL(page.url()).searchParams.get('license')!;
      const audit = (await stack.request('GET', `/v1/licenses/${id}`)).body.audit_events;
      expect(audit.at(-1)).toMatchObject({ action: 'license.created', reason: 'Purchase order PO-7781, paid by bank transfer', actor: `staff:${admin.id}`, actor_label: admin.email });
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('can be used from the keyboard alone: Tab to an action, Enter, type, submit; Esc closes and returns focus (1280 px)', async () => {
    const trial = await license('trial');
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await openLicense(page, trial.id);
      await tabTo(page, (element) => element.tag === 'button' && element.text === 'Suspend', 80);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      await dialog(page).waitFor();
      // Focus is inside the dialog, on its first control: the reason.
      expect(await page.evaluate(`document.activeElement.tagName`)).toBe('TEXTAREA');
      await page.keyboard.type('Card declined twice');
      await tabTo(page, (element) => element.text === 'Suspend license', 5);
      await page.keyboard.press('Enter');
      await result(page).getByText('License suspended. Validation now answers SUSPENDED.').waitFor();
      expect((await validate(trial.key)).code).toBe('SUSPENDED');

      await tabTo(page, (element) => element.tag === 'button' && element.text === 'Reinstate', 80);
      await page.keyboard.press('Enter');
      await dialog(page).waitFor();
      await page.keyboard.press('Escape');
      await dialog(page).waitFor({ state: 'hidden' });
      expect(await page.evaluate(`document.activeElement.innerText`)).toBe('Reinstate');
      // The dialog's action leaves the address too (a replace navigation, right after it closes).
      await eventually(() => (new URL(page.url()).searchParams.get('action') === null ? true : undefined), { what: 'the action to leave the URL' });
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('shows the API\'s refusal in the dialog where the user acted, and keeps what was typed', async () => {
    const trial = await license('trial');
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await openLicense(page, trial.id);
      await actions(page).getByRole('button', { name: 'Suspend', exact: true }).click();
      await dialog(page).getByLabel('Reason').fill('Card declined twice');
      // Someone else suspends it meanwhile: this page's button is now stale.
      expect((await stack.request('POST', `/v1/licenses/${trial.id}/suspend`, { body: { reason: 'fraud check' } })).status).toBe(200);
      await dialog(page).getByRole('button', { name: 'Suspend license' }).click();
      await dialog(page).getByRole('alert').getByText('ALREADY_SUSPENDED').waitFor();
      expect(await dialog(page).getByLabel('Reason').inputValue()).toBe('Card declined twice');
      await checkPage(page, errors, { app: 'console', name: 'action-refused', width: 1280 });
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      await actions(page).getByRole('button', { name: 'Reinstate', exact: true }).waitFor();
    } finally {
      await close();
    }
  });

  it('shows a support member only the buttons of their role, and the API refuses the others (403)', async () => {
    const paid = await license('paid');
    await activate(stack, paid.key, { fingerprint: 'fp-support-check', name: 'Reception PC' });
    const { page, errors, close } = await signedIn(1280, support);
    try {
      await openLicense(page, paid.id);
      for (const label of ['Set expiry', 'Renew', 'Suspend', 'Free a seat']) await actions(page).getByRole('button', { name: label, exact: true }).waitFor();
      for (const label of ['Revoke', 'Change plan', 'Edit terms', 'Offline token']) expect(await actions(page).getByRole('button', { name: label, exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'New license' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: /bulk/i }).count()).toBe(0);
      // A revoke asked for in the URL does not open either.
      await page.goto(`${stack.baseUrl}/admin/accounts/${customer.id}?license=${paid.id}&action=revoke`);
      await page.locator('#license-actions').waitFor();
      expect(await dialog(page).isVisible()).toBe(false);
      await checkPage(page, errors, { app: 'console', name: 'account-actions-support', width: 1280 });
    } finally {
      await close();
    }
    const api = new ApiBrowser(stack);
    expect((await api.signIn(support.email, support.password)).status).toBe(201);
    const refused = [
      await api.request('POST', `/v1/licenses/${paid.id}/revoke`, { body: { reason: 'not mine to do' } }),
      await api.request('POST', `/v1/licenses/${paid.id}/change-plan`, { body: { plan_id: enterprise.id, reason: 'not mine to do' } }),
      await api.request('PATCH', `/v1/licenses/${paid.id}`, { body: { overrides: { seat_limit: 99 }, reason: 'not mine to do' } }),
      await api.request('POST', `/v1/licenses`, { body: { plan_id: team.id, customer_id: customer.id, reason: 'not mine to do' } }),
    ];
    expect(refused.map((answer) => [answer.status, answer.body.code])).toEqual(Array(4).fill([403, 'FORBIDDEN']));
    expect((await validate(paid.key)).code).toBe('VALID');
  });

  it('refuses a cross-origin form post made with a signed-in member\'s cookie', async () => {
    const paid = await license('paid');
    const attacker: Server = createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>Win a prize</title>
        <form id="f" method="POST" action="${stack.baseUrl}/v1/licenses/${paid.id}/revoke"><input name="reason" value="pwned"></form>
        <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const { page, close } = await signedIn(1280, admin);
    try {
      const answer = page.waitForResponse((response) => response.url().endsWith(`/v1/licenses/${paid.id}/revoke`));
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const refused = await answer;
      expect(refused.status()).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'CROSS_ORIGIN_REQUEST' });
      expect((await validate(paid.key)).code).toBe('VALID');
      expect((await stack.request('GET', `/v1/licenses/${paid.id}`)).body.audit_events.map((e: { action: string }) => e.action)).toEqual(['license.created']);
    } finally {
      await close();
      attacker.close();
    }
  });

  it('returns to sign-in when the session expires mid-action, then back to the open form with the typed note', async () => {
    const trial = await license('trial');
    const { page, errors, close } = await signedIn(1280, admin);
    try {
      await openLicense(page, trial.id);
      await actions(page).getByRole('button', { name: 'Extend trial', exact: true }).click();
      const note = 'Promised on the call: two more weeks while legal reviews the contract.';
      await dialog(page).getByLabel('Note').fill(note);
      const sessionId = await page.evaluate(`fetch('/v1/sessions/current').then((answer) => answer.json()).then((body) => body.session_id)`);
      expect((await stack.request('DELETE', `/v1/sessions/${sessionId}`)).status).toBe(204);

      await dialog(page).getByRole('button', { name: 'Extend trial' }).click();
      await page.waitForURL(/\/admin\/sign-in\?/);
      await page.getByText('Your session ended.').waitFor();
      await page.getByLabel('E-mail').fill(admin.email);
      await page.getByLabel('Password', { exact: true }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      await page.waitForURL((url) => url.pathname === `/admin/accounts/${customer.id}` && url.searchParams.get('action') === 'extend-trial');
      await dialog(page).waitFor();
      expect(await dialog(page).getByLabel('Note').inputValue()).toBe(note);
      await dialog(page).getByRole('button', { name: 'Extend trial' }).click();
      await result(page).getByText(/^Trial extended to /).waitFor();
      const audit = (await stack.request('GET', `/v1/licenses/${trial.id}`)).body.audit_events;
      expect(audit[0]).toMatchObject({ action: 'license.trial_extended', reason: note, actor: `staff:${admin.id}`, actor_label: admin.email });
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('fits a 390 px phone: the actions and each dialog, axe clean', async () => {
    const paid = await license('paid');
    await activate(stack, paid.key, { fingerprint: 'fp-phone', name: 'Front desk' });
    const { page, errors, close } = await signedIn(WIDTHS[1], admin);
    try {
      await openLicense(page, paid.id);
      await checkPage(page, errors, { app: 'console', name: 'account-actions', width: 390 });
      for (const [button, name] of [
        ['Change plan', 'action-change-plan'],
        ['Free a seat', 'action-free-seat'],
        ['Edit terms', 'action-edit-terms'],
        ['Offline token', 'action-offline-token'],
        ['Revoke', 'action-revoke'],
      ] as const) {
        await actions(page).getByRole('button', { name: button, exact: true }).click();
        await dialog(page).waitFor();
        if (button === 'Change plan') {
          await dialog(page).getByText(/^Change account Ada Lovelace/).waitFor();
          await dialog(page).getByLabel('When').selectOption('period_end');
          await dialog(page).getByText('at the end of the period, on 2027-09-01; until then nothing changes.', { exact: false }).waitFor();
        }
        if (button === 'Edit terms') await dialog(page).getByText('Nothing changes yet.', { exact: false }).waitFor();
        await checkPage(page, errors, { app: 'console', name, width: 390 });
        await page.keyboard.press('Escape');
        await dialog(page).waitFor({ state: 'hidden' });
      }
      const trial = await license('trial');
      await openLicense(page, trial.id);
      await actions(page).getByRole('button', { name: 'Extend trial', exact: true }).click();
      await checkPage(page, errors, { app: 'console', name: 'action-extend-trial', width: 390 });
    } finally {
      await close();
    }
  });
});
