import type { Browser } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS } from '../../support/web/chromium.ts';
import { checkPage } from '../../support/web/page-checks.ts';

/**
 * The customer portal's skeleton (its features arrive with the portal issue): served at
 * /portal with its own CSP, client routes fall back to its index, and its not-found page passes
 * axe-core at both widths without a browser error.
 */
describe('portal: the skeleton', () => {
  let stack: ApiStack;
  let chromium: Browser;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, worker: false }), launchChromium()]);
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  it('is served at /portal with its own policy, apart from the console', async () => {
    const index = await fetch(`${stack.baseUrl}/portal/some/client/route`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await index.text();
    expect(html).toContain('/portal/assets/');
    expect(html).not.toContain('/admin/assets/');
  });

  for (const width of WIDTHS) {
    it(`shows its not-found page (${width} px)`, async () => {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await page.goto(`${stack.baseUrl}/portal/no-such-page`);
        await page.getByText('There is no such page').waitFor();
        await checkPage(page, errors, { app: 'portal', name: 'not-found', width });
      } finally {
        await close();
      }
    });
  }
});
