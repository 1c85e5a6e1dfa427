import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors } from '../../support/web/chromium.ts';
import { activate, seedAccount, signInThroughPage, type SeededAccount } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';
import { createStaff, type StaffAccount } from '../../support/staff.ts';

/**
 * The license view's key operations in real Chromium against the real stack: rotate a leaked key
 * (the new key shown once; the old one answers KEY_ROTATED), send the key again, reset the seats
 * (bounded by the plan's cap for support; an admin overrides it), each behind a confirmation that
 * asks for a reason; buttons hidden from roles that may not use them; axe, console errors and
 * screenshots at 1280 and 390 px; keyboard only.
 */
describe('console: key operations in the license view', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let support: StaffAccount;
  let admin: StaffAccount;
  let readOnly: StaffAccount;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true }), launchChromium()]);
    [support, admin, readOnly] = [await createStaff(stack, 'support', { name: 'Margaret Hamilton' }), await createStaff(stack, 'admin', { name: 'Frances Allen' }), await createStaff(stack, 'read_only', { name: 'Read Only' })];
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function accountWithSeats(cap: number | null): Promise<SeededAccount> {
    const account = await seedAccount(stack, { name: 'Ada Lovelace', seats: 5 });
    if (cap !== null) expect((await stack.request('PATCH', `/v1/plans/${account.plan.id}`, { body: { deactivation_limit: cap, deactivation_period_days: 30 } })).status).toBe(200);
    await activate(stack, account.license.key, { fingerprint: 'fp-laptop', name: "Ada's MacBook" });
    await activate(stack, account.license.key, { fingerprint: 'fp-desktop', name: 'Analytical Engine' });
    return account;
  }

  async function openLicense(width: (typeof WIDTHS)[number], who: StaffAccount, account: SeededAccount): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, who);
    await opened.page.waitForURL(/\/admin\/search$/);
    await opened.page.goto(`${stack.baseUrl}/admin/licenses/${account.license.id}`);
    await opened.page.getByRole('heading', { name: 'Key and seats' }).or(opened.page.getByRole('heading', { name: 'History' })).first().waitFor();
    return opened;
  }
  const validate = async (key: string) => (await stack.request('POST', '/v1/validate', { body: { key }, token: null })).body;

  it('rotates a leaked key from the license view: says what changes, asks why, shows the new key once', async () => {
    for (const width of WIDTHS) {
      const account = await accountWithSeats(null);
      const { page, errors, close } = await openLicense(width, support, account);
      try {
        const operations = page.getByRole('group', { name: 'Key and seat operations' });
        await operations.waitFor();
        await checkPage(page, errors, { app: 'console', name: 'license-key-operations', width });
        await operations.getByRole('button', { name: 'Rotate key' }).click();
        const dialog = page.getByRole('dialog', { name: 'Rotate the license key' });
        await dialog.getByText(account.license.hint).first().waitFor();
        await dialog.getByText('2 activations').waitFor();
        await dialog.getByLabel('Overlap').selectOption({ label: '1 hour' });
        await checkPage(page, errors, { app: 'console', name: 'license-rotate-key-dialog', width });
        // The reason is required: refused where it is typed, nothing rotated.
        await dialog.getByRole('button', { name: 'Rotate key' }).click();
        await dialog.getByText('A reason is required.').waitFor();
        expect((await validate(account.license.key)).code).toBe('VALID');

        await dialog.getByLabel('Reason').fill('Key posted in a public forum');
        await dialog.getByRole('button', { name: 'Rotate key' }).click();
        const result = page.getByRole('dialog', { name: 'The key was rotated' });
        const newKey = (await result.getByLabel('New license key').textContent())!.trim();
        expect(newKey).toMatch(/^KW(-[0-9A-Z]{4}){6}$/);
        await result.getByText(`The new key is on its way to ${account.customer.email}.`).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'license-rotate-key-result', width });
        await result.getByRole('button', { name: 'Done' }).click();
        await page.getByText(`KW-…-${newKey.slice(-4)}`).first().waitFor();
        // The overlap: both keys work for now; the new one is the same license with its seats.
        expect((await validate(account.license.key)).code).toBe('VALID');
        expect(await validate(newKey)).toMatchObject({ code: 'VALID', license: { id: account.license.id, current_activations: 2 } });

        // Rotated again at once (no overlap), by keyboard only: the first and second keys stop.
        expect(await tabTo(page, (element) => element.text === 'Rotate key')).toBeGreaterThan(0);
        expect(await focusIsVisible(page)).toBe(true);
        await page.keyboard.press('Enter');
        await dialog.getByLabel('Reason').fill('Leaked again');
        await dialog.getByLabel('Reason').press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await result.waitFor();
        await page.keyboard.press('Escape');
        await result.waitFor({ state: 'hidden' });
        expect((await validate(account.license.key)).code).toBe('KEY_ROTATED');
        expect((await validate(newKey)).code).toBe('KEY_ROTATED');
        errors.assertNone();
      } finally {
        await close();
      }
    }
  });

  it('sends the key again and resets the seats within the cap; beyond it an admin overrides with a reason', async () => {
    const account = await accountWithSeats(1);
    const { page, errors, close } = await openLicense(1280, support, account);
    try {
      const operations = page.getByRole('group', { name: 'Key and seat operations' });
      await operations.getByRole('button', { name: 'Send key again' }).click();
      const resend = page.getByRole('dialog', { name: 'Send the key again' });
      await resend.getByText(account.customer.email).waitFor();
      await resend.getByRole('button', { name: 'Send key' }).click();
      await page.getByRole('status').getByText(`Key e-mail queued for ${account.customer.email}`).waitFor();

      await operations.getByRole('button', { name: 'Reset seats' }).click();
      const reset = page.getByRole('dialog', { name: 'Reset all seats' });
      await reset.getByText("Ada's MacBook").waitFor();
      await reset.getByText('The plan allows 1 deactivation per 30 days; the reset counts against it.').waitFor();
      // Support holds no override: the box is not offered, and two seats over a cap of one are refused in the dialog.
      expect(await reset.getByLabel('Override the deactivation cap').count()).toBe(0);
      await reset.getByLabel('Reason').fill('Fleet re-imaged');
      await reset.getByRole('button', { name: 'Reset seats' }).click();
      await reset.getByText("Resetting 2 seats would pass the plan's cap of 1 deactivation per 30 days (0 used, 1 left); an admin may override it with a reason. (SEAT_RESET_OVER_CAP)").waitFor();
      await checkPage(page, errors, { app: 'console', name: 'license-reset-seats-refused', width: 1280 });
      expect((await validate(account.license.key)).license.current_activations).toBe(2);
      await reset.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await close();
    }

    const asAdmin = await openLicense(390, admin, account);
    try {
      await asAdmin.page.getByRole('group', { name: 'Key and seat operations' }).getByRole('button', { name: 'Reset seats' }).click();
      const reset = asAdmin.page.getByRole('dialog', { name: 'Reset all seats' });
      await reset.getByLabel('Override the deactivation cap').check();
      await reset.getByLabel('Reason').fill('Fleet re-imaged after a breach');
      await checkPage(asAdmin.page, asAdmin.errors, { app: 'console', name: 'license-reset-seats-override', width: 390 });
      await reset.getByRole('button', { name: 'Reset seats' }).click();
      await asAdmin.page.getByRole('status').getByText('2 seats freed. 1 deactivation left this period.').waitFor();
      expect((await validate(account.license.key)).license.current_activations).toBe(0);
      asAdmin.errors.assertNone();
    } finally {
      await asAdmin.close();
    }
    const audit = await stack.db.orm.em.fork().execute<{ action: string; actor_label: string; reason: string | null }[]>(
      `select action, actor_label, reason from audit_event where license_id = ? and action in ('license.key_resent', 'license.seats_reset') order by created_at`,
      [account.license.id],
    );
    expect(audit).toEqual([
      { action: 'license.key_resent', actor_label: support.email, reason: null },
      { action: 'license.seats_reset', actor_label: admin.email, reason: 'Fleet re-imaged after a breach' },
    ]);
  });

  it('hides the operations from a role that may not use them', async () => {
    const account = await accountWithSeats(null);
    const { page, errors, close } = await openLicense(1280, readOnly, account);
    try {
      await page.getByRole('heading', { name: 'History' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Key and seats' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Rotate key' }).count()).toBe(0);
      errors.assertNone();
    } finally {
      await close();
    }
  });
});
