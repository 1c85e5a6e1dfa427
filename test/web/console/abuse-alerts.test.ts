import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { insertLicense } from '../../support/licenses.ts';
import { launchChromium, openPage, WIDTHS, type ConsoleErrors } from '../../support/web/chromium.ts';
import { signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';
import { createStaff, type StaffAccount } from '../../support/staff.ts';

/**
 * The console's Abuse alerts page in real Chromium against the real stack: the list with its
 * filters, an alert's evidence, dismissing with a reason (audited) from the keyboard, and a
 * read-only member who sees no Dismiss; axe-core, console errors and screenshots at 1280 and 390 px.
 */
describe('console: abuse alerts', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let support: StaffAccount;
  let reader: StaffAccount;
  const alerts: Record<string, string> = {};
  let geoLicense: string;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, worker: false }), launchChromium()]);
    support = await createStaff(stack, 'support', { name: 'Margaret Hamilton' });
    reader = await createStaff(stack, 'read_only', { name: 'Katherine Johnson' });
    geoLicense = (await insertLicense(stack.db.orm.em, stack.secret)).license.id;
    const trialLicense = (await insertLicense(stack.db.orm.em, stack.secret)).license.id;
    const busyLicense = (await insertLicense(stack.db.orm.em, stack.secret)).license.id;
    const insert = async (name: string, licenseId: string, kind: string, status: string, evidence: object, extra = '') => {
      alerts[name] = randomUUID();
      await stack.db.orm.em.fork().getConnection().execute(
        `insert into abuse_alert (id, license_id, kind, status, evidence, window_start, window_end, occurrences, created_at, updated_at${extra ? ', action, acted_at' : ''})
         values (?, ?, ?, ?, ?, now() - interval '1 day', now() - interval '5 minutes', 3, now() - interval '${Object.keys(alerts).length} minutes', now()${extra ? `, '${extra}', now()` : ''})`,
        [alerts[name], licenseId, kind, status, JSON.stringify(evidence)],
      );
    };
    await insert('velocity', busyLicense, 'VELOCITY', 'OPEN', { validations: 1500, distinct_ips: 1200, threshold_validations: 1000, threshold_distinct_ips: 100, sample_ips: ['203.0.113.7', '198.51.100.4'] });
    await insert('trial', trialLicense, 'TRIAL_CYCLING', 'ACTED', {
      trials: [{ license_id: trialLicense, email: 'ada+one@example.com' }, { license_id: trialLicense, email: 'ada+two@example.com' }, { license_id: trialLicense, email: 'ada+three@example.com' }],
      shared: [{ signal: 'email', value: 'ada@example.com', trials: 3 }, { signal: 'fingerprint', value: 'fp-ada-laptop', trials: 3 }],
      threshold: 2,
    }, 'SUSPEND');
    await insert('geo', geoLicense, 'GEO_SPREAD', 'OPEN', { distinct_countries: 25, threshold: 20, countries: ['AU', 'BR', 'CA', 'DE', 'FR', 'GB', 'IN', 'JP', 'US', 'ZA'] });
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  async function signedInPage(width: (typeof WIDTHS)[number], who = support): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
    const opened = await openPage(chromium, width);
    await signInThroughPage(opened.page, stack.baseUrl, who);
    await opened.page.waitForURL(/\/admin\/search$/);
    return opened;
  }
  const table = (page: Page) => page.getByRole('table', { name: 'Abuse alerts, newest first' });

  for (const width of WIDTHS) {
    it(`lists the alerts, filters them, and shows one with its evidence (${width} px)`, async () => {
      const { page, errors, close } = await signedInPage(width);
      try {
        await page.goto(`${stack.baseUrl}/admin/abuse-alerts`);
        await page.getByRole('heading', { name: 'Abuse alerts', level: 1 }).waitFor();
        await table(page).getByRole('link', { name: 'Geographic spread' }).waitFor();
        expect(await table(page).getByRole('row').count()).toBe(4);
        await checkPage(page, errors, { app: 'console', name: 'abuse-alerts', width });

        await page.getByLabel('Status').selectOption('ACTED');
        await page.waitForURL(/status=ACTED/);
        await table(page).getByRole('link', { name: 'Trial cycling' }).waitFor();
        await table(page).getByRole('row').nth(2).waitFor({ state: 'detached' });
        await table(page).getByRole('link', { name: 'Trial cycling' }).click();
        await page.waitForURL(new RegExp(`/admin/abuse-alerts/${alerts.trial}$`));
        await page.getByRole('heading', { name: 'Trial cycling', level: 1 }).waitFor();
        await page.getByText('ada@example.com (3 trials)').waitFor();
        await page.getByText('ada+one@example.com, ada+two@example.com, ada+three@example.com').waitFor();
        await page.getByText('License suspended').waitFor();
        await checkPage(page, errors, { app: 'console', name: 'abuse-alert', width });
      } finally {
        await close();
      }
    });
  }

  it('dismisses an alert from the keyboard, with a reason that reaches the audit trail', async () => {
    const { page, errors, close } = await signedInPage(1280);
    try {
      await page.goto(`${stack.baseUrl}/admin/abuse-alerts/${alerts.geo}`);
      await page.getByRole('heading', { name: 'Geographic spread', level: 1 }).waitFor();
      await page.getByText('25 (plan allows 20)').waitFor();
      await tabTo(page, (element) => element.tag === 'button' && element.text === 'Dismiss…');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Dismiss this alert?' });
      await dialog.waitFor();
      // No reason: said where it is typed.
      await dialog.getByRole('button', { name: 'Dismiss alert' }).click();
      await dialog.getByText('A reason is required.').waitFor();
      await dialog.getByLabel('Why is it harmless?').fill('A sales team travelling to a trade fair');
      await checkPage(page, errors, { app: 'console', name: 'abuse-alert-dismiss', width: 1280 });
      // The reason is a text area (Enter adds a line): Tab on to the button.
      await tabTo(page, (element) => element.tag === 'button' && element.text === 'Dismiss alert', 5);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('#alert').getByRole('definition').getByText('Dismissed', { exact: true }).waitFor();
      await page.getByText('“A sales team travelling to a trade fair”', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Dismiss…' }).count()).toBe(0);
      const audit = await stack.db.orm.em.fork().getConnection().execute(`select action, reason, license_id from audit_event where action = 'abuse_alert.dismissed'`);
      expect(audit).toEqual([{ action: 'abuse_alert.dismissed', reason: 'A sales team travelling to a trade fair', license_id: geoLicense }]);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('shows a read-only member the evidence without a Dismiss button, and an unknown alert as an error where it was asked for', async () => {
    const { page, errors, close } = await signedInPage(390, reader);
    try {
      await page.goto(`${stack.baseUrl}/admin/abuse-alerts/${alerts.velocity}`);
      await page.getByRole('heading', { name: 'Velocity', level: 1 }).waitFor();
      await page.getByText('1,500 (plan allows 1,000)').waitFor();
      expect(await page.getByRole('button', { name: 'Dismiss…' }).count()).toBe(0);
      await checkPage(page, errors, { app: 'console', name: 'abuse-alert-read-only', width: 390 });
      await page.goto(`${stack.baseUrl}/admin/abuse-alerts/${randomUUID()}`);
      await page.getByText('This alert could not be loaded').waitFor();
      await page.getByText('ABUSE_ALERT_NOT_FOUND').waitFor();
      errors.assertNone();
    } finally {
      await close();
    }
  });
});
