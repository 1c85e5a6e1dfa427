import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { launchBrowser } from '../browser.ts';

/** Real Chromium for the web apps' tests: the one launch of test/support/browser.ts. */
export const launchChromium = launchBrowser;

/** The widths every page is checked at: a laptop, and a 390 px phone. */
export const WIDTHS = [1280, 390] as const;
export type Width = (typeof WIDTHS)[number];

/**
 * A page at a width, in a time zone that is not UTC (times must show in the viewer's zone),
 * with its console and page errors collected for `errors.assertNone()`.
 */
export async function openPage(browser: Browser, width: Width): Promise<{ page: Page; errors: ConsoleErrors; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, timezoneId: 'America/New_York', locale: 'en-US', deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = new ConsoleErrors(page);
  return { page, errors, close: () => context.close() };
}

/**
 * Fails a test on any browser console error or uncaught page error. One kind of message is an
 * answer, not a fault: Chromium logs "Failed to load resource: … status of 4xx" for every API
 * call answered 4xx (signed out: 401, a refused write: 403), which the app shows on the page.
 * Those are accepted for API paths (/v1/…) only; a 4xx for the app's own files and every 5xx
 * still fail.
 */
export class ConsoleErrors {
  readonly messages: string[] = [];

  constructor(page: Page) {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const url = message.location().url ?? '';
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && /\/v1\//.test(url)) return;
      this.messages.push(`${text}${url ? ` (${url})` : ''}`);
    });
    page.on('pageerror', (error) => this.messages.push(`page error: ${error.stack ?? error.message}`));
  }

  assertNone(): void {
    if (this.messages.length) throw new Error(`the browser logged errors:\n  ${this.messages.join('\n  ')}`);
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * axe-core on the page as it is now: the serious and critical violations (the test fails on
 * any). Evaluated through the DevTools protocol: the page's CSP allows no injected script tag.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // Browser-side code as strings: this program is type-checked without the DOM's types.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`)) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`).join('\n    ')}`).join('\n  ');
