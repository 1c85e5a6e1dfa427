import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS } from '../../support/web/chromium.ts';
import { signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible } from '../../support/web/page-checks.ts';
import { eventually } from '../../support/poll.ts';
import { Browser as ApiBrowser, createStaff, type StaffAccount } from '../../support/staff.ts';

/**
 * The console's Catalog page in real Chromium against the real stack: products and plans, the
 * policy editor with the API's dry run (its field errors under each field, the impact on the
 * plan's licenses before saving), saving with a reason into the audit trail, keyboard-only use,
 * and a role that may not edit the catalog seeing no edit controls; axe-core, console errors and
 * screenshots at 1280 and 390 px.
 */
describe('console: catalog', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let admin: StaffAccount;
  let support: StaffAccount;
  let plan: { id: string; name: string };
  const licenses: string[] = [];

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true }), launchChromium()]);
    admin = await createStaff(stack, 'admin', { name: 'Katherine Johnson' });
    support = await createStaff(stack, 'support', { name: 'Margaret Hamilton' });
    const product = (await stack.request('POST', '/v1/products', { body: { code: 'acme-desktop', name: 'Acme Desktop' } })).body;
    plan = (await stack.request('POST', '/v1/plans', { body: { product_id: product.id, code: 'annual', name: 'Annual', tier: 'pro', seat_limit: 5, term_kind: 'DURATION', term_days: 365, features: { export: true } } })).body;
    await stack.request('POST', '/v1/plans', { body: { product_id: product.id, code: 'academic', name: 'Academic year', tier: 'edu', term_kind: 'FIXED_END', term_ends_at: '2027-06-30T00:00:00Z' } });
    await stack.request('POST', '/v1/products', { body: { code: 'acme-server', name: 'Acme Server' } });
    for (const [email, overrides] of [['ada@example.com', {}], ['grace@example.com', {}], ['own-reminders@example.com', { reminder_offsets_days: [30] }]] as const) {
      const created = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email }, overrides, notify: false } });
      expect(created.status).toBe(201);
      licenses.push(created.body.id);
    }
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function signedIn(account: StaffAccount, width: (typeof WIDTHS)[number]) {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, account);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }

  const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
  const impact = (page: Page) => page.getByRole('complementary', { name: 'Impact and saving' });

  it('lists products and plans, previews a plan edit with the API\u2019s field errors and its impact, and saves it with a reason', async () => {
    for (const width of WIDTHS) {
      const { page, errors, close } = await signedIn(admin, width);
      try {
        await page.goto(`${stack.baseUrl}/admin/catalog`);
        await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
        await page.getByRole('link', { name: 'Annual' }).waitFor();
        await page.getByText('No plans yet').waitFor();
        await page.getByRole('button', { name: 'New product' }).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'catalog', width });

        await page.getByRole('link', { name: 'Annual' }).click();
        await page.getByRole('heading', { name: 'Annual', level: 1 }).waitFor();
        await impact(page).getByText('No changes yet').waitFor();
        await checkPage(page, errors, { app: 'console', name: 'catalog-plan', width });

        // The API refuses a negative grace: its message shows under the field, and nothing can be saved.
        await field(page, 'Grace after a failed payment (days)').fill('-1');
        await page.getByText('Too small: expected number to be >=0').waitFor();
        expect(await field(page, 'Grace after a failed payment (days)').getAttribute('aria-invalid')).toBe('true');
        expect(await impact(page).getByRole('button', { name: /^Save/ }).isDisabled()).toBe(true);
        // Text that is no number is caught before any request.
        await field(page, 'Grace after a failed payment (days)').fill('ten');
        await page.getByText('Enter a whole number.').waitFor();
        await field(page, 'Grace after a failed payment (days)').fill('7');

        // A change of the reminders: two licenses follow it, the third overrides it.
        await field(page, 'Renewal reminders (days before expiry)').fill(width === 1280 ? '60, 7' : '45, 7');
        await impact(page).getByText('Affected', { exact: true }).waitFor();
        const counts = await impact(page).locator('dd').allInnerTexts();
        expect(counts).toEqual(['3', '2', '2', '0']);
        await impact(page).getByRole('list', { name: 'Affected licenses, before and after' }).getByRole('listitem').nth(1).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'catalog-plan-impact', width });

        await page.getByLabel('Reason (optional)').fill(`renewal cadence review ${width}`);
        await page.getByRole('button', { name: 'Save 1 change' }).click();
        await page.getByText('Plan saved: 2 running licenses take the new policy').waitFor();
        await impact(page).getByText('No changes yet').waitFor();
        const saved = await stack.request('GET', `/v1/plans/${plan.id}`);
        expect(saved.body.reminder_offsets_days).toEqual(width === 1280 ? [60, 7] : [45, 7]);
        const trail = await stack.request('GET', `/v1/audit-events?target_id=${plan.id}&action=plan.updated`);
        expect(trail.body.data[0]).toMatchObject({ actor: `staff:${admin.id}`, reason: `renewal cadence review ${width}` });
        errors.assertNone();
      } finally {
        await close();
      }
    }
  });

  it('can be used from the keyboard alone: Tab to a plan, Enter, Tab to a field, type, Tab to save', async () => {
    const { page, errors, close } = await signedIn(admin, 1280);
    try {
      await page.goto(`${stack.baseUrl}/admin/catalog`);
      await page.getByRole('link', { name: 'Annual' }).waitFor();
      const focusedLabel = () => page.evaluate(`(() => { const e = document.activeElement; return (e && (e.labels?.[0]?.textContent ?? e.textContent ?? '')).trim(); })()`) as Promise<string>;
      const tabUntil = async (label: string, max = 80) => {
        for (let presses = 0; presses < max; presses++) {
          await page.keyboard.press('Tab');
          if ((await focusedLabel()).startsWith(label)) return;
        }
        throw new Error(`Tab never reached ${label}`);
      };
      await tabUntil('Annual');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Annual', level: 1 }).waitFor();
      await tabUntil('Grace after expiry (days)');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Control+A');
      await page.keyboard.type('3');
      await impact(page).getByText('Workflows updated').waitFor();
      await tabUntil('Reason (optional)');
      await page.keyboard.type('three days of grace');
      await tabUntil('Save 1 change');
      await page.keyboard.press('Enter');
      // The license that overrides its reminders follows the plan's grace: all three take it.
      await page.getByText('Plan saved: 3 running licenses take the new policy').waitFor();
      expect((await stack.request('GET', `/v1/plans/${plan.id}`)).body.expiry_grace_days).toBe(3);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('shows a role that may not edit the catalog the policy without edit controls, and the API refuses its edit', async () => {
    const { page, errors, close } = await signedIn(support, 390);
    try {
      await page.goto(`${stack.baseUrl}/admin/catalog`);
      await page.getByRole('link', { name: 'Annual' }).waitFor();
      expect(await page.getByRole('button', { name: /New (product|plan)/ }).count()).toBe(0);
      await page.getByRole('link', { name: 'Annual' }).click();
      await page.getByRole('heading', { name: 'Annual', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Grace and reminders' }).waitFor();
      expect(await page.getByRole('textbox').count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(0);
      await checkPage(page, errors, { app: 'console', name: 'catalog-plan-read-only', width: 390 });
    } finally {
      await close();
    }
    const browser = new ApiBrowser(stack);
    await browser.signIn(support.email, support.password);
    const refused = await browser.request('PATCH', `/v1/plans/${plan.id}`, { body: { payment_grace_days: 30, dry_run: true } });
    expect(refused.status).toBe(403);
  });

  it('edits a plan\u2019s abuse detection: every field sent, a refused value said under its field, a read-only view for a role that may not edit', async () => {
    const abuse = (page: Page) => page.getByRole('form', { name: 'Abuse detection settings' });
    for (const width of WIDTHS) {
      // Each width starts from the defaults (a body with no field).
      expect((await stack.request('PUT', `/v1/abuse-policies/${plan.id}`, { body: {} })).status).toBe(200);
      const { page, errors, close } = await signedIn(admin, width);
      try {
        await page.goto(`${stack.baseUrl}/admin/catalog/plans/${plan.id}`);
        await page.getByRole('heading', { name: 'Abuse detection' }).waitFor();
        // The defaults, where the plan sets nothing.
        expect(await abuse(page).getByLabel('Validations per hour').inputValue()).toBe('1000');
        expect(await abuse(page).getByRole('button', { name: 'Save abuse settings' }).isDisabled()).toBe(true);

        // Text that is no number is caught in the page; a number out of range is the API's refusal, under its field.
        await abuse(page).getByLabel('Countries per day').fill('many');
        await abuse(page).getByRole('button', { name: 'Save abuse settings' }).click();
        await abuse(page).getByText('Enter a whole number.').waitFor();
        await abuse(page).getByLabel('Countries per day').fill('301');
        await abuse(page).getByRole('button', { name: 'Save abuse settings' }).click();
        await abuse(page).getByText(/Too big/).waitFor();
        expect(await abuse(page).getByLabel('Countries per day').getAttribute('aria-invalid')).toBe('true');
        expect((await stack.request('GET', `/v1/abuse-policies/${plan.id}`)).body.max_countries_per_day).toBe(20);
        await checkPage(page, errors, { app: 'console', name: 'catalog-plan-abuse-refused', width });

        await abuse(page).getByLabel('Countries per day').fill('8');
        await abuse(page).getByLabel('Validations per hour').fill('500');
        await abuse(page).getByLabel('Machines per week').fill('12');
        await abuse(page).getByLabel('On a new alert').selectOption('SUSPEND');
        await abuse(page).getByLabel('Check the referrer').uncheck();
        await abuse(page).getByRole('button', { name: 'Save abuse settings' }).click();
        await page.getByText('Abuse settings saved: the next abuse check uses them').waitFor();
        expect((await stack.request('GET', `/v1/abuse-policies/${plan.id}`)).body).toEqual({
          action: 'SUSPEND',
          velocity_validations_per_hour: 500,
          velocity_distinct_ips: 100,
          max_countries_per_day: 8,
          referrer_check: false,
          trials_per_identity: 2,
          fingerprints_per_week: 12,
        });
        const trail = await stack.request('GET', `/v1/audit-events?target_id=${plan.id}&action=plan.abuse_policy_updated`);
        expect(trail.body.data[0]).toMatchObject({ actor: `staff:${admin.id}` });
        // Emptied, the machines threshold goes back to its rule (three times the seat limit).
        await abuse(page).getByLabel('Machines per week').fill('');
        await abuse(page).getByRole('button', { name: 'Save abuse settings' }).click();
        await eventually(async () => ((await stack.request('GET', `/v1/abuse-policies/${plan.id}`)).body.fingerprints_per_week === null ? true : undefined));
        errors.assertNone();
      } finally {
        await close();
      }
    }

    const { page, errors, close } = await signedIn(support, 390);
    try {
      await page.goto(`${stack.baseUrl}/admin/catalog/plans/${plan.id}`);
      await page.getByRole('heading', { name: 'Abuse detection' }).waitFor();
      await page.getByText('Suspend the license').waitFor();
      expect(await page.getByRole('form', { name: 'Abuse detection settings' }).count()).toBe(0);
      await checkPage(page, errors, { app: 'console', name: 'catalog-plan-abuse-read-only', width: 390 });
    } finally {
      await close();
    }
  });

  it('creates a product and a plan from dialogs, showing the API\u2019s refusal under the field', async () => {
    const { page, errors, close } = await signedIn(admin, 1280);
    try {
      await page.goto(`${stack.baseUrl}/admin/catalog`);
      await page.getByRole('button', { name: 'New product' }).click();
      const dialog = page.getByRole('dialog', { name: 'New product' });
      await dialog.getByLabel('Code').fill('acme-desktop');
      await dialog.getByLabel('Name').fill('Duplicate');
      await dialog.getByRole('button', { name: 'Create product' }).click();
      await dialog.getByText('a product with code "acme-desktop" already exists').waitFor();
      await dialog.getByLabel('Code').fill('acme-mobile');
      await dialog.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('heading', { name: /Acme Mobile|acme-mobile/ }).first().waitFor({ state: 'attached' }).catch(() => undefined);
      await page.getByText('Product Duplicate created').waitFor();
      await page.getByRole('button', { name: 'New plan of Duplicate' }).click();
      const planDialog = page.getByRole('dialog', { name: 'New plan of Duplicate' });
      await planDialog.getByLabel('Code').fill('Not A Code');
      await planDialog.getByLabel('Name').fill('Starter');
      await planDialog.getByLabel('Tier').fill('starter');
      await planDialog.getByRole('button', { name: 'Create plan' }).click();
      await planDialog.getByText('use lower-case letters, digits, dots, dashes and underscores').waitFor();
      await planDialog.getByLabel('Code').fill('starter');
      await planDialog.getByRole('button', { name: 'Create plan' }).click();
      await page.getByRole('heading', { name: 'Starter', level: 1 }).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'catalog-new-plan', width: 1280 });
    } finally {
      await close();
    }
  });
});
