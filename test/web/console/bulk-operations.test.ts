import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors } from '../../support/web/chromium.ts';
import { signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';
import { Browser as ApiBrowser, createStaff, type StaffAccount } from '../../support/staff.ts';

const LICENSES = 50;
const DAY_MS = 86_400_000;

/**
 * The console's bulk operations in real Chromium against the real stack: an admin extends 50
 * licenses through the preview (one revoked license skipped with its reason), confirms with a
 * reason from the keyboard, watches the run finish, reads the report and downloads it; each
 * license's audit row names the admin and the operation. A support member sees no bulk button
 * and the API answers them 403. axe-core, console errors and screenshots at 1280 and 390 px.
 */
describe('console: bulk operations', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let admin: StaffAccount;
  let support: StaffAccount;
  let plan: { id: string; code: string; name: string };
  let ids: string[];
  let revoked: string;
  let emails: string[];

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, app: { bulkRatePerSecond: 25 } }), launchChromium()]);
    [admin, support] = await Promise.all([createStaff(stack, 'admin', { name: 'Katherine Johnson' }), createStaff(stack, 'support', { name: 'Margaret Hamilton' })]);
    const suffix = randomBytes(3).toString('hex');
    const product = (await stack.request('POST', '/v1/products', { body: { code: `studio-${suffix}`, name: 'Acme Studio' } })).body;
    plan = (await stack.request('POST', '/v1/plans', { body: { product_id: product.id, code: `team-${suffix}`, name: 'Team', tier: 'pro', seat_limit: 5, features: { export: true } } })).body;
    ids = [];
    emails = [];
    for (let i = 0; i <= LICENSES; i++) {
      const email = `bulk-${i}-${suffix}@example.com`;
      const created = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email }, expires_at: '2030-01-01T00:00:00Z' } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      emails.push(email);
    }
    revoked = ids.pop()!;
    expect((await stack.request('POST', `/v1/licenses/${revoked}/revoke`, { body: { reason: 'chargeback' } })).status).toBe(200);
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function signedInPage(width: (typeof WIDTHS)[number], account: StaffAccount): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, account);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }

  async function previewExtension(page: Page) {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Bulk' }).click();
    await page.getByRole('heading', { name: 'Bulk operations', level: 1 }).waitFor();
    await page.getByLabel('Plan', { exact: true }).selectOption(plan.code);
    await page.getByLabel('Operation', { exact: true }).selectOption('extend_expiry');
    await page.getByLabel('Days', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: `These ${LICENSES} licenses will be affected` }).waitFor();
  }

  it('extends 50 licenses through the preview, from the confirmation typed at the keyboard to the report and its CSV, audited with the admin and the operation', async () => {
    const { page, errors, close } = await signedInPage(1280, admin);
    try {
      await previewExtension(page);
      const changes = page.getByRole('table', { name: 'Before and after' });
      expect(await changes.getByRole('row').count()).toBe(LICENSES + 1);
      await changes.getByRole('row').nth(1).getByText('expires 2030-01-31').waitFor();
      const skipped = page.getByRole('table', { name: 'Skipped (1)' });
      await skipped.getByText('the license is revoked: nothing can change it').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'bulk-preview', width: 1280 });

      // Keyboard only from here: Tab to the button, Enter, the reason, Enter.
      await tabTo(page, (element) => element.tag === 'button' && element.text === `Apply to ${LICENSES} licenses…`, 200);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: `Extend expiry by 30 days on ${LICENSES} licenses?` });
      await dialog.waitFor();
      // The reason is required: confirming without one says so where it is typed.
      await dialog.getByRole('button', { name: `Apply to ${LICENSES} licenses` }).click();
      await dialog.getByText('A reason is required.').waitFor();
      await dialog.getByLabel('Reason', { exact: true }).focus();
      await page.keyboard.type('Goodwill credit after the March outage');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');

      await page.waitForURL(/\/admin\/bulk\/[0-9a-f-]{36}$/);
      const bulkId = page.url().split('/').pop()!;
      await page.getByText(`Completed: ${LICENSES} applied, 1 skipped, 0 failed`).waitFor({ timeout: 120_000 });
      expect(await page.getByRole('progressbar', { name: 'Bulk operation progress' }).getAttribute('aria-valuenow')).toBe('100');
      await page.getByLabel('Show', { exact: true }).selectOption('SKIPPED');
      await page.getByText('the license is revoked: nothing can change it').waitFor();
      await checkPage(page, errors, { app: 'console', name: 'bulk-report', width: 1280 });

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
      const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
      expect(csv[0]).toBe('license_id,key_hint,customer_email,result,code,detail,before,after,finished_at');
      expect(csv.filter((line) => line.includes(',APPLIED,'))).toHaveLength(LICENSES);
      expect(csv.filter((line) => line.includes(',SKIPPED,LICENSE_ALREADY_REVOKED,'))).toHaveLength(1);

      const audit = await stack.db.orm.em.fork().execute<{ license_id: string; actor: string; reason: string; action: string }[]>(
        `select license_id, actor, reason, action from audit_event where after ->> 'bulk_operation_id' = ?`,
        [bulkId],
      );
      expect(audit).toHaveLength(LICENSES);
      expect(new Set(audit.map((row) => row.license_id))).toEqual(new Set(ids));
      expect(new Set(audit.map((row) => `${row.actor} ${row.action} ${row.reason}`))).toEqual(new Set([`staff:${admin.email} license.expiry_set Goodwill credit after the March outage`]));
      const expiries = await stack.db.orm.em.fork().execute<{ expires_at: string | Date }[]>(`select expires_at from license where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
      expect(new Set(expiries.map((row) => new Date(row.expires_at).toISOString()))).toEqual(new Set([new Date(Date.parse('2030-01-01T00:00:00Z') + 30 * DAY_MS).toISOString()]));
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('chooses licenses from an uploaded CSV and lists the entries that match nothing', async () => {
    const { page, errors, close } = await signedInPage(1280, admin);
    try {
      await page.goto(`${stack.baseUrl}/admin/bulk`);
      await page.getByLabel('By CSV file', { exact: true }).check();
      await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(`email\n${emails[0]}\n${emails[1]}\nwho@example.com\n`) });
      await page.getByText('Read 4 lines from accounts.csv.').waitFor();
      await page.getByLabel('Operation', { exact: true }).selectOption('add_feature');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByText('A feature name: letters, digits and _ . : - only.').waitFor();
      await page.getByLabel('Feature', { exact: true }).fill('sso');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: 'These 2 licenses will be affected' }).waitFor();
      await page.getByRole('table', { name: 'Not found' }).getByText('who@example.com').waitFor();
      await page.getByRole('table', { name: 'Before and after' }).getByText('features export, sso').first().waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('works at a 390 px phone width', async () => {
    const { page, errors, close } = await signedInPage(390, admin);
    try {
      await page.getByRole('button', { name: /Open the command palette/ }).waitFor();
      await page.goto(`${stack.baseUrl}/admin/bulk`);
      await page.getByLabel('Plan', { exact: true }).selectOption(plan.code);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: `These ${LICENSES} licenses will be affected` }).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'bulk-preview', width: 390 });
      await page.getByRole('link', { name: 'Extend expiry by 30 days' }).first().click();
      await page.getByText(/^Completed: /).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'bulk-report', width: 390 });
    } finally {
      await close();
    }
  });

  it('shows a support member no bulk button, and the API refuses them 403', async () => {
    const { page, errors, close } = await signedInPage(1280, support);
    try {
      const navigation = page.getByRole('navigation', { name: 'Console' });
      await navigation.getByRole('link', { name: 'Search' }).waitFor();
      expect(await navigation.getByRole('link', { name: 'Bulk' }).count()).toBe(0);
      await page.goto(`${stack.baseUrl}/admin/bulk`);
      await page.getByText('Your role can follow bulk operations but not run them.').waitFor();
      expect(await page.getByRole('button', { name: 'Preview' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Extend expiry by 30 days' }).first().click();
      await page.getByText(/^Completed: /).waitFor();
      expect(await page.getByRole('button', { name: /Cancel operation/ }).count()).toBe(0);
      errors.assertNone();
    } finally {
      await close();
    }
    const browser = new ApiBrowser(stack);
    expect((await browser.signIn(support.email, support.password)).status).toBe(201);
    for (const body of [
      { selection: { type: 'filter', plan: plan.code }, operation: { type: 'extend_expiry', days: 7 }, dry_run: true },
      { selection: { type: 'filter', plan: plan.code }, operation: { type: 'suspend' }, reason: 'not allowed' },
    ]) {
      const refused = await browser.request('POST', '/v1/bulk-operations', { body });
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    }
  });
});
