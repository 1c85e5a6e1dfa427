import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors } from '../../support/web/chromium.ts';
import { activate, seedAccount, signInThroughPage, type SeededAccount } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';
import { createStaff, type StaffAccount } from '../../support/staff.ts';
import { eventually } from '../../support/poll.ts';

const TEMPORAL_UI = 'http://127.0.0.1:8233';

/**
 * The console's first two pages in real Chromium against the real stack (Postgres, the Temporal
 * dev server, a worker, the API serving the built console): finding a license by e-mail, key,
 * hint and id; the account view with its activations, audit trail, timeline and workflow link;
 * keyboard-only use; a session that expires while a note is being typed; axe-core, console
 * errors and screenshots at 1280 and 390 px.
 */
describe('console: search and account view', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let support: StaffAccount;
  let ada: SeededAccount;
  let grace: SeededAccount;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, temporalUiUrl: TEMPORAL_UI }), launchChromium()]);
    support = await createStaff(stack, 'support', { name: 'Margaret Hamilton' });
    ada = await seedAccount(stack, { name: 'Ada Lovelace', stripeCustomerId: 'cus_AdaLovelace42' });
    grace = await seedAccount(stack, { name: 'Grace Hopper', tier: 'pro', seats: 3 });
    await activate(stack, ada.license.key, { fingerprint: 'fp-ada-laptop', name: "Ada's MacBook", hostname: 'ada-mbp.local', platform: 'macOS 15' });
    await activate(stack, ada.license.key, { fingerprint: 'fp-ada-desktop', name: 'Analytical Engine', hostname: 'engine-01', platform: 'Linux' });
    expect((await stack.request('POST', `/v1/licenses/${ada.license.id}/suspend`, { body: { reason: 'Card declined twice; customer asked for time' } })).status).toBe(200);
    expect((await stack.request('POST', `/v1/licenses/${ada.license.id}/reinstate`, { body: { reason: 'Paid by bank transfer' } })).status).toBe(200);
    expect((await stack.request('POST', `/v1/licenses/${ada.license.id}/offline-tokens`, { body: { fingerprint: 'air-gapped-lab-7', ttl_days: 30 } })).status).toBe(201);
    await stack.db.orm.em.execute(
      `insert into stripe_event (id, type, stripe_created_at, livemode, payload, status, license_id, detail, attempts, created_at, updated_at)
       values ('evt_AdaInvoicePaid', 'invoice.paid', now() - interval '3 days', false, '{}', 'PROCESSED', ?, 'paymentSucceeded → license renewed', 1, now(), now())`,
      [ada.license.id],
    );
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function signedInPage(width: (typeof WIDTHS)[number]): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, support);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }

  const results = (page: Page) => page.getByRole('table', { name: 'Search results' });

  async function search(page: Page, text: string) {
    await page.getByRole('searchbox', { name: 'Search licenses' }).fill(text);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: `Licenses matching “${text}”` }).waitFor();
  }

  it('finds a license by customer e-mail, name, whole key, key hint, license id and Stripe customer id', async () => {
    const { page, errors, close } = await signedInPage(1280);
    try {
      await search(page, ada.customer.email);
      await results(page).getByRole('link', { name: 'Ada Lovelace' }).waitFor();
      // One header row and Ada's license, once the table shows this search's answer (not an
      // earlier keystroke's, still on screen while the last one is answered).
      await eventually(async () => ((await results(page).getByRole('row').count()) === 2 ? true : undefined), { what: 'exactly one result for Ada\'s e-mail' });

      await search(page, 'Grace Hop');
      await results(page).getByRole('link', { name: 'Grace Hopper' }).waitFor();

      await search(page, ada.license.key.toLowerCase());
      await results(page).getByText('Key', { exact: true }).waitFor();
      // A whole key is searched by POST and never written into the page's URL.
      expect(page.url()).not.toContain(ada.license.key.slice(3, 12));
      expect(page.url().toLowerCase()).not.toContain(ada.license.key.slice(3, 12).toLowerCase());

      await search(page, ada.license.hint.slice(-4));
      await results(page).getByText(ada.license.hint).waitFor();
      await results(page).getByText('Key hint', { exact: true }).waitFor();

      await search(page, ada.license.id);
      await results(page).getByText('License id', { exact: true }).waitFor();

      await search(page, 'cus_AdaLovelace42');
      await results(page).getByText('Stripe customer', { exact: true }).waitFor();

      await search(page, 'nobody-at-all@example.com');
      await page.getByText('No license matches').waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });

  for (const width of WIDTHS) {
    it(`shows search (with filters) and the account view: seats, features, activations, audit trail, timeline, workflow link (${width} px)`, async () => {
      const { page, errors, close } = await signedInPage(width);
      try {
        await page.getByRole('heading', { name: 'Newest licenses' }).waitFor();
        await results(page).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'search', width });

        await page.getByLabel('Tier').selectOption('pro');
        await page.getByRole('heading', { name: 'Licenses matching the filters' }).waitFor();
        await results(page).getByRole('link', { name: 'Grace Hopper' }).waitFor();
        // The previous page of results stays shown until the filtered answer arrives (Grace is in both): wait for Ada to go.
        await results(page).getByRole('link', { name: 'Ada Lovelace' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: 'Clear filters' }).click();

        await search(page, ada.customer.email);
        await checkPage(page, errors, { app: 'console', name: 'search-results', width });
        await results(page).getByRole('link', { name: 'Ada Lovelace' }).click();
        await page.waitForURL(new RegExp(`/admin/accounts/${ada.customer.id}\\?license=${ada.license.id}$`));
        await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();

        const summary = page.locator('#license-summary');
        await summary.getByText('2 of 10').waitFor();
        await summary.getByText('projects: 25').waitFor();
        await summary.getByText('enterprise').waitFor();
        await summary.getByText('Active', { exact: true }).waitFor();
        const activations = page.getByRole('table', { name: /Activation history/ });
        await activations.getByText('ada-mbp.local').waitFor();
        await activations.getByText('Analytical Engine').waitFor();
        await activations.getByText('macOS 15').waitFor();
        const timeline = page.locator('#license-timeline');
        await timeline.getByText('Renewal reminder').first().waitFor();
        const workflowLink = page.getByRole('link', { name: /Open in the Temporal Web UI/ });
        expect(await workflowLink.getAttribute('href')).toMatch(new RegExp(`^${TEMPORAL_UI}/namespaces/default/workflows/license-${ada.license.id}/[^/]+/history$`));
        await page.locator('#license-workflow').getByText('Running').waitFor();
        // Times show in the viewer's zone (New York here), with UTC in the title.
        const created = page.locator('#license-summary time').last();
        expect(await created.getAttribute('title')).toMatch(/ UTC$/);
        await checkPage(page, errors, { app: 'console', name: 'account', width });

        await page.getByRole('tab', { name: /Audit trail/ }).click();
        await page.getByText('“Card declined twice; customer asked for time”').waitFor();
        await page.getByText('“Paid by bank transfer”').waitFor();
        await checkPage(page, errors, { app: 'console', name: 'account-audit', width });
        await page.getByRole('tab', { name: /Messages/ }).click();
        await page.getByRole('tabpanel').getByText('license_issued').first().waitFor();
        await page.getByRole('tab', { name: /Stripe events/ }).click();
        await page.getByRole('tabpanel').getByText('evt_AdaInvoicePaid').waitFor();
        await page.getByRole('tab', { name: /Offline tokens/ }).click();
        await page.getByRole('tabpanel').getByText('air-gapped-lab-7').waitFor();
        await checkPage(page, errors, { app: 'console', name: 'account-offline-tokens', width });
      } finally {
        await close();
      }
    });
  }

  it('can be used from the keyboard alone: / to search, Tab to a result, Enter, arrow keys through the tabs, Ctrl+K to jump', async () => {
    const { page, errors, close } = await signedInPage(1280);
    try {
      await page.getByRole('searchbox', { name: 'Search licenses' }).waitFor();
      await page.keyboard.press('Escape');
      // "/" from the page's body focuses the search, once the layout's shortcuts are listening.
      await eventually(
        async () => {
          await page.locator('body').focus();
          await page.keyboard.press('/');
          return (await page.evaluate('document.activeElement.id')) === 'license-search' ? true : undefined;
        },
        { what: '"/" to focus the search box' },
      );
      await page.keyboard.type(grace.customer.email);
      await page.getByRole('heading', { name: `Licenses matching “${grace.customer.email}”` }).waitFor();
      await results(page).getByRole('link', { name: 'Grace Hopper' }).waitFor();
      await tabTo(page, (element) => element.tag === 'a' && element.text === 'Grace Hopper');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();

      await tabTo(page, (element) => element.text.startsWith('Activations'));
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('tab', { name: /Audit trail/ }).getAttribute('aria-selected')).toBe('true');
      await page.getByRole('tabpanel').getByText('license.created').waitFor();

      // The command palette: Ctrl+K, a key hint, Enter.
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('combobox', { name: 'Search licenses or jump to a page' });
      await palette.waitFor();
      await checkPage(page, errors, { app: 'console', name: 'command-palette', width: 1280 });
      await page.keyboard.type(ada.license.hint.slice(-4));
      await page.getByRole('option', { name: /Ada Lovelace/ }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();

      // Every Operations page is in the palette on its own, found by its name or its section's.
      await page.keyboard.press('Control+k');
      await palette.waitFor();
      // Up from the first option wraps to the last, which the list scrolls into sight.
      await page.keyboard.press('ArrowUp');
      const last = page.locator('[role="option"][aria-selected="true"]');
      await eventually(async () => {
        const [option, list] = await Promise.all([last.boundingBox(), page.getByRole('listbox', { name: 'Results' }).boundingBox()]);
        return option && list && option.y >= list.y && option.y + option.height <= list.y + list.height + 1 ? true : undefined;
      }, { what: 'the last option scrolled into sight' });
      expect(await last.textContent()).toBe(await page.getByRole('option').last().textContent());
      await palette.fill('operations');
      for (const name of ['Outbox', 'Stripe events', 'Staff', 'API tokens', 'Signing keys']) await page.getByRole('option', { name: new RegExp(`^Operations › ${name}`) }).waitFor();
      await palette.fill('signing');
      await eventually(async () => {
        expect(await page.getByRole('option', { name: /^Operations › / }).allTextContents()).toEqual([expect.stringMatching(/^Operations › Signing keys/)]);
        return true;
      });
      await page.getByRole('option', { name: /^Operations › Signing keys/ }).click();
      await page.waitForURL(/\/admin\/operations\/signing-keys$/);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('returns to sign-in when the session expires, and keeps the note being typed', async () => {
    const { page, errors, close } = await signedInPage(1280);
    try {
      await page.goto(`${stack.baseUrl}/admin/accounts/${grace.customer.id}`);
      await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
      const note = 'Called on Tuesday: promised a 30-day extension if the PO arrives by Friday.';
      await page.getByLabel('Add a note').fill(note);

      // The session ends on the server (an owner signed it out) while the note is being written.
      const sessionId = await page.evaluate(`fetch('/v1/sessions/current').then((answer) => answer.json()).then((body) => body.session_id)`);
      expect((await stack.request('DELETE', `/v1/sessions/${sessionId}`)).status).toBe(204);

      await page.getByRole('button', { name: 'Add note' }).click();
      await page.waitForURL(/\/admin\/sign-in\?/);
      await page.getByText('Your session ended.').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'sign-in-session-expired', width: 1280 });
      await page.getByLabel('E-mail').fill(support.email);
      await page.getByLabel('Password', { exact: true }).fill(support.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      await page.waitForURL(new RegExp(`/admin/accounts/${grace.customer.id}$`));
      expect(await page.getByLabel('Add a note').inputValue()).toBe(note);
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByRole('list', { name: 'Notes, newest first' }).getByText(note).waitFor();
      await page.getByText(`staff:${support.email}`).waitFor();
      expect(await page.getByLabel('Add a note').inputValue()).toBe('');
      errors.assertNone();
    } finally {
      await close();
    }
  });
});
