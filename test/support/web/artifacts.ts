import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../../lib/web-build.ts';

/** Where the web tests save what a reviewer looks at (git-ignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

/** `test-artifacts/screenshots/<app>/<page>-<width>.png`, the whole page. */
export async function screenshot(page: Page, app: 'console' | 'portal', name: string, width: number): Promise<string> {
  const dir = path.join(SCREENSHOTS, app);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${width}.png`);
  // From the top: a scrolled page would show its sticky header in the middle of the picture.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}
