import type { Browser, Page } from 'playwright-core';
import { snapshotSeats } from '../../../domain/reports/snapshot-seats.ts';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { seedReports, type ReportSeed } from '../../support/report-seed.ts';
import { createStaff, type StaffAccount } from '../../support/staff.ts';
import { launchChromium, openPage, WIDTHS } from '../../support/web/chromium.ts';
import { signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';

/**
 * The Reports page in real Chromium against the real stack, signed in as finance: each tab's
 * figures and charts (uPlot, loaded with the page), the range and filters in the URL, CSV
 * downloads, a refused range shown at its field, keyboard use; axe-core, console errors and
 * screenshots at 1280 and 390 px.
 */
describe('console: reports', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let finance: StaffAccount;
  let seed: ReportSeed;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, worker: false }), launchChromium()]);
    finance = await createStaff(stack, 'finance', { name: 'Fran Allen' });
    seed = await seedReports(stack.db.orm.em);
    await snapshotSeats(stack.db.orm.em);
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  const TABS = [
    ['Metrics', 'metrics'],
    ['Utilization', 'utilization'],
    ['Seat trend', 'seat-trend'],
    ['Renewals', 'renewal-cohorts'],
    ['Leakage', 'revenue-leakage'],
  ] as const;

  async function reportsPage(page: Page, query: string) {
    await signInThroughPage(page, stack.baseUrl, finance);
    await page.waitForURL(/\/admin\/search$/);
    await page.goto(`${stack.baseUrl}/admin/reports${query}`);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  }

  for (const width of WIDTHS) {
    it(`shows every report with its figures and charts at ${width} px`, async () => {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await reportsPage(page, `?from=${seed.day(-29)}&to=${seed.day(0)}`);
        const panel = page.getByRole('tabpanel');

        await panel.getByRole('heading', { name: 'Active vs issued licenses' }).waitFor();
        await panel.getByText('5 of 6.', { exact: false }).waitFor();
        await panel.getByText('15.5 h').waitFor();
        await checkPage(page, errors, { app: 'console', name: 'reports-metrics', width });

        await page.getByRole('tab', { name: 'Utilization' }).click();
        await panel.getByRole('heading', { name: 'Seat utilization per license' }).waitFor();
        await panel.getByRole('meter', { name: 'Active share of pro' }).waitFor();
        await page.waitForURL(/report=utilization/);
        await checkPage(page, errors, { app: 'console', name: 'reports-utilization', width });

        await page.getByRole('tab', { name: 'Seat trend' }).click();
        await panel.getByRole('img', { name: /Seats in use per plan/ }).waitFor();
        expect(await panel.locator('canvas').count()).toBeGreaterThanOrEqual(2);
        await checkPage(page, errors, { app: 'console', name: 'reports-seat-trend', width });

        await page.getByRole('tab', { name: 'Renewals' }).click();
        // No term ends in the last 30 days: the empty state says so; a wider range shows the cohorts.
        await panel.getByText('No terms end in this range').waitFor();
        await page.getByLabel('From').fill(seed.day(-90));
        await page.getByLabel('To').fill(seed.day(90));
        await page.getByRole('button', { name: 'Apply range' }).click();
        await panel.getByRole('heading', { name: 'Terms ending per month' }).waitFor();
        expect(await panel.locator('canvas').count()).toBe(1);
        await checkPage(page, errors, { app: 'console', name: 'reports-renewals', width });

        await page.getByRole('tab', { name: 'Leakage' }).click();
        await panel.getByRole('heading', { name: 'Seats over the limit' }).waitFor();
        await panel.getByText('1 extra seats; US$10.00 a month.').or(panel.getByText('1 extra seats; $10.00 a month.')).waitFor();
        const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
        expect(csv).toBe(`/v1/reports/revenue-leakage?from=${seed.day(-90)}&to=${seed.day(90)}&format=csv`);
        await checkPage(page, errors, { app: 'console', name: 'reports-leakage', width });
      } finally {
        await close();
      }
    });
  }

  it('keeps the range and filters in the URL, shows a refused range at its field, and works from the keyboard', async () => {
    const { page, errors, close } = await openPage(chromium, 1280);
    try {
      await reportsPage(page, `?report=utilization&from=2020-01-01&to=${seed.day(0)}`);
      await page.getByText('the range may cover at most 366 days', { exact: false }).waitFor();
      const from = page.getByLabel('From');
      expect(await from.getAttribute('aria-invalid')).toBe('true');

      await from.fill(seed.day(-29));
      await page.getByRole('button', { name: 'Apply range' }).click();
      await page.getByRole('heading', { name: 'Seat utilization per license' }).waitFor();
      await page.getByLabel('Tier').selectOption('team');
      await page.waitForURL(/tier=team/);
      await page.getByRole('tabpanel').getByText('1 of 1', { exact: false }).or(page.getByRole('tabpanel').getByRole('heading', { name: 'Issued' })).first().waitFor();

      // Keyboard only: Tab to the tab list, arrows between reports.
      await tabTo(page, (element) => element.tag === 'button' && element.text === 'Utilization');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('ArrowRight');
      await page.waitForURL(/report=seat-trend/);
      await page.getByRole('tabpanel').getByRole('heading', { name: 'Seats in use per plan' }).waitFor();
      await page.waitForURL(/tier=team/);
      errors.assertNone();
    } finally {
      await close();
    }
  });
});
