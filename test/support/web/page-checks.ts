import type { Page } from 'playwright-core';
import { screenshot } from './artifacts.ts';
import { describeViolations, seriousAxeViolations, type ConsoleErrors } from './chromium.ts';

/**
 * What every page must pass once it has loaded, at each width: no serious or critical axe-core
 * violation, nothing wider than the viewport (no sideways scrolling on a phone), no browser
 * error so far; then its screenshot.
 */
export async function checkPage(page: Page, errors: ConsoleErrors, options: { app: 'console' | 'portal'; name: string; width: number }): Promise<void> {
  const violations = await seriousAxeViolations(page);
  if (violations.length) throw new Error(`axe-core: ${options.name} at ${options.width} px\n  ${describeViolations(violations)}`);
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  if (overflow > 1) throw new Error(`${options.name} at ${options.width} px is ${overflow} px wider than the viewport`);
  errors.assertNone();
  await screenshot(page, options.app, options.name, options.width);
}

/**
 * Presses Tab until the focused element matches, as a keyboard-only user would; fails after
 * `max` presses. Returns how many it took.
 */
interface Focused {
  tag: string;
  text: string;
  label: string | null;
  href: string | null;
  id: string;
}

// Browser-side code as strings: this program is type-checked without the DOM's types.
const FOCUSED = `(() => {
  const element = document.activeElement;
  return element && element !== document.body
    ? { tag: element.tagName.toLowerCase(), text: (element.innerText ?? '').trim(), label: element.getAttribute('aria-label'), href: element.getAttribute('href'), id: element.id }
    : null;
})()`;

export async function tabTo(page: Page, matches: (element: Focused) => boolean, max = 40): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(FOCUSED)) as Focused | null;
    if (focused && matches(focused)) return presses;
  }
  throw new Error(`nothing matching was reached in ${max} presses of Tab`);
}

/** Whether the focused element shows a focus ring (a box-shadow or an outline). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return (await page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return (style.boxShadow !== 'none' && style.boxShadow !== '') || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px');
  })()`)) as boolean;
}
