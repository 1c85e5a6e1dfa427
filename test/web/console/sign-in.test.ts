import type { Browser } from 'playwright-core';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { launchChromium, openPage, WIDTHS } from '../../support/web/chromium.ts';
import { signInThroughPage } from '../../support/web/console-fixtures.ts';
import { checkPage } from '../../support/web/page-checks.ts';
import { Browser as ApiBrowser, createStaff, linkToken, strongPassword, totpCode, type StaffAccount } from '../../support/staff.ts';

/**
 * Signing in to the console in real Chromium against the real API (staff identity): password,
 * the two-factor step, wrong credentials shown at the form, the invitation link, the forgotten
 * password page, sign-out; each page checked with axe-core at 1280 and 390 px.
 */
describe('console: signing in', () => {
  let stack: ApiStack;
  let chromium: Browser;
  let support: StaffAccount;

  beforeAll(async () => {
    [stack, chromium] = await Promise.all([startApiStack({ web: true, worker: false }), launchChromium()]);
    support = await createStaff(stack, 'support', { name: 'Grace Hopper' });
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
  });

  it('serves the console at /admin with its CSP, caches hashed assets for a year and falls back to index.html for client routes', async () => {
    const index = await fetch(`${stack.baseUrl}/admin/accounts/anything`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await index.text();
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(stack.baseUrl + script!, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${stack.baseUrl}/admin/assets/missing-0000.js`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/admin/../package.json`)).status).toBe(404);
    const redirect = await fetch(`${stack.baseUrl}/admin`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/admin/']);
    expect((await fetch(`${stack.baseUrl}/portal/`)).status).toBe(200);
  });

  for (const width of WIDTHS) {
    it(`signs in with a password and lands on search, after a wrong password is shown at the form (${width} px)`, async () => {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await page.goto(`${stack.baseUrl}/admin/`);
        await page.waitForURL(/\/admin\/sign-in/);
        await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'sign-in', width });

        await signInThroughPage(page, stack.baseUrl, { email: support.email, password: 'not-the-password' });
        await page.getByRole('alert').filter({ hasText: 'The e-mail or the password is wrong.' }).waitFor();

        await page.getByLabel('Password', { exact: true }).fill(support.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(/\/admin\/search$/);
        await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();

        // Sign out from the member's menu: back to sign-in, and the session is gone on the server.
        await page.getByRole('button', { name: /Your account/ }).click();
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/admin\/sign-in/);
        const current = await page.evaluate(`fetch('/v1/sessions/current').then((answer) => answer.status)`);
        expect(current).toBe(401);
        errors.assertNone();
      } finally {
        await close();
      }
    });
  }

  it('asks a member with two-factor on for a code, refuses a wrong one at the field, and takes a recovery code', async () => {
    const member = await createStaff(stack, 'admin', { name: 'Alan Turing' });
    const api = new ApiBrowser(stack);
    await api.signIn(member.email, member.password);
    const enrolment = await api.request('POST', '/v1/me/two-factor');
    expect(enrolment.status).toBe(201);
    const secret: string = enrolment.body.secret;
    const confirmed = await api.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(secret) } });
    expect(confirmed.status).toBe(200);
    const recoveryCodes: string[] = confirmed.body.recovery_codes;

    const { page, errors, close } = await openPage(chromium, 1280);
    try {
      await signInThroughPage(page, stack.baseUrl, member);
      await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'sign-in-two-factor', width: 1280 });
      await page.getByLabel('Authentication code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('That code is wrong, expired or already used.').waitFor();
      // The code just used to enrol may not be used again: sign in with a recovery code.
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(/\/admin\/search$/);
      errors.assertNone();
    } finally {
      await close();
    }
  });

  it('sets a password from an invitation link, then signs in with it', async () => {
    const invited = await stack.request('POST', '/v1/staff', { body: { email: 'katherine@example.com', name: 'Katherine Johnson', role: 'finance' } });
    expect(invited.status).toBe(201);
    const link: string = invited.body.invitation.link;
    expect(linkToken(link)).toMatch(/^kwl_/);
    const password = strongPassword();
    // The phone first: the laptop then redeems the link (it works once).
    for (const width of [...WIDTHS].reverse()) {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await page.goto(stack.baseUrl + new URL(link).pathname + new URL(link).hash);
        await page.getByRole('heading', { name: 'Join the Keywarden console' }).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'invitation-link', width });
        if (width === 390) continue;
        await page.getByLabel('New password').fill('short');
        await page.getByLabel('Repeat the password').fill('short');
        await page.getByRole('button', { name: 'Set the password' }).click();
        await page.getByText(/at least|too weak|common/i).first().waitFor();
        await page.getByLabel('New password').fill(password);
        await page.getByLabel('Repeat the password').fill(password);
        await page.getByRole('button', { name: 'Set the password' }).click();
        await page.waitForURL(/\/admin\/sign-in\?email=/);
        await page.getByText('Your password is set. Sign in with it.').waitFor();
        await page.getByLabel('Password', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(/\/admin\/search$/);
        // The same link again: it worked once, and says so.
        await page.goto(stack.baseUrl + new URL(link).pathname + new URL(link).hash);
        await page.getByRole('heading', { name: 'This link was already used' }).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'link-already-used', width });
      } finally {
        await close();
      }
    }
  });

  it('offers single sign-on when it is configured, and says why a refused SSO sign-in came back', async () => {
    // The provider is never reached here: the button only starts the flow (tested end to end by the identity tests).
    const oidc = { issuer: 'https://sso.example.com', clientId: 'keywarden', clientSecret: 'secret', roleRules: [], groupsClaim: 'groups', scopes: 'openid email profile' };
    const withSso = await startApiStack({ web: true, worker: false, identity: { oidc } });
    const { page, errors, close } = await openPage(chromium, 1280);
    try {
      await page.goto(`${withSso.baseUrl}/admin/sign-in?return_to=%2Faccounts%2Fx&sso_error=SSO_NOT_ALLOWED`);
      const sso = page.getByRole('link', { name: 'Sign in with single sign-on' });
      await sso.waitFor();
      expect(await sso.getAttribute('href')).toBe(`/v1/sso/oidc/start?return_to=${encodeURIComponent('/admin/accounts/x')}`);
      await page.getByRole('alert').filter({ hasText: 'not allowed into this console' }).waitFor();
      await checkPage(page, errors, { app: 'console', name: 'sign-in-sso', width: 1280 });
    } finally {
      await close();
      await withSso.close();
    }
  });

  it('sends a reset link from "forgot your password", answering alike for any e-mail', async () => {
    for (const width of WIDTHS) {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await page.goto(`${stack.baseUrl}/admin/sign-in`);
        await page.getByRole('link', { name: 'Forgot your password?' }).click();
        await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
        await checkPage(page, errors, { app: 'console', name: 'forgot-password', width });
        await page.getByLabel('E-mail').fill(width === 1280 ? support.email : 'nobody@example.com');
        await page.getByRole('button', { name: 'Send the reset link' }).click();
        await page.getByRole('status').filter({ hasText: 'If this e-mail belongs to an active staff member' }).waitFor();
        errors.assertNone();
      } finally {
        await close();
      }
    }
  });
});
