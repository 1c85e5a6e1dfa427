import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/web-build.ts';
import type { Browser, Page } from 'playwright-core';
import { KeySet, tokenFromLicenseFile, verifyOfflineToken } from '../../../sdk/src/index.ts';
import { LicenseCache } from '../../../api/validation/license-cache.ts';
import { startApiStack, startReplica, type ApiStack } from '../../support/api-stack.ts';
import { testLogger } from '../../support/temporal.ts';
import { activateMachine, portalEmail, seedCustomerLicense } from '../../support/portal.ts';
import { eventually } from '../../support/poll.ts';
import { checkoutObject, future, postEvent, startTestStripeMock, stripeEvent, subscriptionObject, suffix, testStripeServices } from '../../support/stripe.ts';
import { startStripeFront, type StripeFront } from '../../support/stripe-front.ts';
import type { RunningStripeMock } from '../../../lib/stripe-mock.ts';
import type { StripeServices } from '../../../lib/stripe-client.ts';
import { launchChromium, openPage, WIDTHS } from '../../support/web/chromium.ts';
import { checkPage, focusIsVisible, tabTo } from '../../support/web/page-checks.ts';

/**
 * The customer portal in real Chromium against the real stack (Postgres, Temporal, the worker,
 * the API serving the built portal), with the fake Customer.io that carries the sign-in links
 * and stripe-mock behind the Stripe front for the billing portal.
 */
describe('portal: a customer signs in by e-mail link and looks after their licenses', () => {
  const email = portalEmail();
  let mock: RunningStripeMock;
  let front: StripeFront;
  let stripe: StripeServices;
  let stack: ApiStack;
  let chromium: Browser;
  let mine: Awaited<ReturnType<typeof seedCustomerLicense>>;
  let theirs: Awaited<ReturnType<typeof seedCustomerLicense>>;
  const firstLinks: string[] = [];

  beforeAll(async () => {
    await email.cio.start(email.tls);
    mock = await startTestStripeMock();
    front = await startStripeFront(mock.url);
    stripe = testStripeServices(front);
    [stack, chromium] = await Promise.all([startApiStack({ web: true, stripe, ...email.stackOptions() }), launchChromium()]);
    mine = await seedCustomerLicense(stack);
    theirs = await seedCustomerLicense(stack, { features: { secret_feature_of_theirs: true } });
    for (const machine of ['desk', 'laptop']) expect((await activateMachine(stack, mine.key, machine)).status).toBe(201);
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.close();
    await front?.close();
    await mock?.stop();
    await email.cio.close();
  });

  /** Asks for a link on the sign-in page, reads it from the fake Customer.io, and opens it. */
  async function signInThroughPage(page: Page, address: string, path = '/portal/') {
    const before = email.mailsTo(address);
    await page.goto(stack.baseUrl + path);
    await page.getByRole('heading', { name: 'Sign in to see your licenses' }).waitFor();
    await page.getByLabel('E-mail address').fill(address);
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await page.getByText('a sign-in link valid for 15 minutes is on its way').waitFor();
    const link = await email.linkFor(address, before);
    await page.goto(link);
    return link;
  }

  for (const width of WIDTHS) {
    it(`signs in by link, frees a seat, shows, copies and replaces the key, downloads a license file the SDK accepts (${width} px)`, async () => {
      const { page, errors, close } = await openPage(chromium, width);
      try {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
        await page.goto(`${stack.baseUrl}/portal/`);
        await page.getByRole('heading', { name: 'Sign in to see your licenses' }).waitFor();
        await checkPage(page, errors, { app: 'portal', name: 'sign-in', width });
        firstLinks.push(await signInThroughPage(page, mine.email));

        await page.getByRole('heading', { name: 'Your licenses' }).waitFor();
        await page.getByText('Acme Desktop — Pro').waitFor();
        expect(await page.getByText('secret_feature_of_theirs').count()).toBe(0);
        await checkPage(page, errors, { app: 'portal', name: 'licenses', width });

        await page.getByRole('link', { name: 'Acme Desktop — Pro' }).click();
        await page.getByRole('heading', { name: 'Machines' }).waitFor();
        await page.getByText(/seats used/).first().waitFor();
        await checkPage(page, errors, { app: 'portal', name: 'license', width });

        if (width === 390) {
          // Keyboard only: Tab reaches "Show key" with a visible focus ring, Enter opens the dialog, Esc closes it and focus comes back.
          await tabTo(page, (element) => element.tag === 'button' && element.text === 'Show key');
          expect(await focusIsVisible(page)).toBe(true);
          await page.keyboard.press('Enter');
          await page.getByRole('dialog', { name: 'Show your license key?' }).waitFor();
          await page.keyboard.press('Escape');
          await page.getByRole('dialog', { name: 'Show your license key?' }).waitFor({ state: 'hidden' });
          expect(await page.evaluate('document.activeElement.innerText')).toBe('Show key');
        }

        if (width === 1280) {
          // Free a machine: the license is full, so a new machine is refused until a seat is freed.
          expect((await activateMachine(stack, mine.key, 'new-pc')).body.code).toBe('SEAT_LIMIT_EXCEEDED');
          await page.getByText('1 free left in the last 30 days').waitFor();
          await page.getByRole('button', { name: 'Free this seat of desk' }).click();
          const dialog = page.getByRole('dialog', { name: 'Free this seat?' });
          await dialog.waitFor();
          await checkPage(page, errors, { app: 'portal', name: 'free-seat-dialog', width });
          await dialog.getByRole('button', { name: 'Free this seat' }).click();
          await page.getByText('desk no longer uses a seat. 0 frees left this period.').waitFor();
          await page.getByText('You have used every free this period').waitFor();
          expect((await activateMachine(stack, mine.key, 'new-pc')).status).toBe(201);

          // The key, after a confirmation, copied with one click.
          await page.getByRole('button', { name: 'Show key' }).click();
          await page.getByRole('dialog', { name: 'Show your license key?' }).getByRole('button', { name: 'Show key' }).click();
          await page.getByLabel('Your license key', { exact: true }).waitFor();
          expect((await page.getByLabel('Your license key', { exact: true }).textContent())?.trim()).toBe(mine.key);
          await page.getByRole('button', { name: `Copy key: ${mine.key}` }).click();
          await page.getByRole('button', { name: 'Copied' }).waitFor();
          expect(await page.evaluate('navigator.clipboard.readText()')).toBe(mine.key);

          // A license file: an empty fingerprint is refused by the field; a typed one downloads a file the SDK verifies offline.
          await page.getByRole('button', { name: 'Download license file' }).click();
          await page.getByText('type the machine\'s fingerprint').waitFor();
          await page.getByLabel('Machine fingerprint').fill('vault-7f2c');
          const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download license file' }).click()]);
          expect(download.suggestedFilename()).toMatch(/\.kwlicense$/);
          const text = await readFile((await download.path())!, 'utf8');
          const keys = await KeySet.fromJwks((await stack.request('GET', '/.well-known/jwks.json', { token: null })).body);
          const token = tokenFromLicenseFile(text);
          expect(verifyOfflineToken(keys, token, { now: Date.now(), fingerprint: 'vault-7f2c' })).toMatchObject({ valid: true, license: { id: mine.licenseId } });
          expect(verifyOfflineToken(keys, token, { now: Date.now(), fingerprint: 'another-machine' })).toMatchObject({ valid: false });
          await page.getByText('1 file left in the last 30 days').waitFor();

          // A leaked key replaced: the old key is refused (KEY_ROTATED) and the new one works, on two replicas.
          const cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
          await cache.start();
          const replica = await startReplica(stack, { cache });
          try {
            const validate = async (base: string, key: string) =>
              ((await (await fetch(`${base}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, fingerprint: 'laptop' }) })).json()) as { code: string }).code;
            expect(await validate(replica.url, mine.key)).toBe('VALID');
            await page.getByRole('button', { name: 'Replace key' }).click();
            const replace = page.getByRole('dialog', { name: 'Replace your license key?' });
            await replace.getByLabel('What happened? (optional)').fill('posted in a public chat');
            await checkPage(page, errors, { app: 'portal', name: 'replace-key-dialog', width });
            await replace.getByRole('button', { name: 'Replace key' }).click();
            await page.getByText('This is your new key').waitFor();
            const newKey = (await page.getByLabel('Your license key', { exact: true }).textContent())!.trim();
            expect(newKey).not.toBe(mine.key);
            for (const base of [stack.baseUrl, replica.url]) {
              await eventually(async () => ((await validate(base, mine.key)) === 'KEY_ROTATED' ? true : undefined), { what: `the old key refused at ${base}` });
              expect(await validate(base, newKey)).toBe('VALID');
            }
          } finally {
            await replica.close();
            await cache.close();
          }

          // The history, in the customer's words.
          await page.getByText('Key replaced').waitFor();
          await page.getByText('Seat freed').first().waitFor();
          await page.getByText('Key shown').waitFor();
          await checkPage(page, errors, { app: 'portal', name: 'license-after-actions', width });
        }
      } finally {
        await close();
      }
    });
  }

  it('refuses a reused link, and never shows another customer\'s license', async () => {
    const { page, errors, close } = await openPage(chromium, 1280);
    try {
      await page.goto(firstLinks[0]!);
      await page.getByRole('heading', { name: 'This link cannot sign you in' }).waitFor();
      await page.getByText('This sign-in link was already used').waitFor();
      await checkPage(page, errors, { app: 'portal', name: 'link-refused', width: 1280 });

      // Signed in on the way to another customer's license: it answers as no license at all.
      await signInThroughPage(page, mine.email, `/portal/licenses/${theirs.licenseId}`);
      await page.getByText('You have no license with this address').waitFor();
      expect(await page.getByText('secret_feature_of_theirs').count()).toBe(0);
      await checkPage(page, errors, { app: 'portal', name: 'not-yours', width: 1280 });
      await page.getByRole('link', { name: 'See your licenses' }).click();
      await page.getByText('Acme Desktop — Pro').waitFor();
      expect(await page.getByRole('listitem').filter({ hasText: 'secret_feature_of_theirs' }).count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('says sign-in by e-mail is not available where no e-mail provider is configured', async () => {
    const bare = await startReplica(stack, { webDist: path.join(REPO_ROOT, 'dist'), identity: stack.identity });
    const { page, errors, close } = await openPage(chromium, 390);
    try {
      await page.goto(`${bare.url}/portal/`);
      await page.getByText('Sign-in by e-mail is not available').waitFor();
      expect(await page.getByLabel('E-mail address').count()).toBe(0);
      await checkPage(page, errors, { app: 'portal', name: 'sign-in-unavailable', width: 390 });
    } finally {
      await close();
      await bare.close();
    }
  });

  it('opens Stripe\'s billing portal for a Stripe-sold license, from the reminder e-mail\'s /renew link', async () => {
    const price = `price_Portal${suffix()}`;
    const plan = await stack.request('POST', '/v1/plans', {
      body: { product_id: (await stack.request('GET', `/v1/plans/${mine.plan.id}`)).body.product_id, code: `sub-${suffix()}`, name: 'Monthly', tier: 'pro', stripe_price_ids: [price] },
    });
    expect(plan.status).toBe(201);
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const buyer = `stripe-buyer-${suffix()}@example.com`;
    for (const event of [
      stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price, periodEnd: future(30) })),
      stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: buyer })),
    ]) expect((await postEvent(stack, stripe.client, event)).status).toBe(200);
    const licenseId = await eventually(async () => (await stack.db.orm.em.fork().execute<{ id: string }[]>('select id from license where stripe_subscription_id = ?', [subscription]))[0]?.id, { what: 'the Stripe license' });

    const portalSession = 'bps_test_portal';
    const sessionsAsked: URLSearchParams[] = [];
    front.answers.set('POST /v1/billing_portal/sessions', (_query, form) => {
      sessionsAsked.push(form);
      return { body: { id: portalSession, object: 'billing_portal.session', customer: form.get('customer'), return_url: form.get('return_url'), url: `${front.url}/billing-portal/${portalSession}` } };
    });
    front.answers.set(`GET /billing-portal/${portalSession}`, () => ({ body: { page: 'Stripe billing portal (test front)' } }));

    const { page, errors, close } = await openPage(chromium, 390);
    try {
      await signInThroughPage(page, buyer, `/renew?license=${licenseId}`);
      await page.getByRole('heading', { name: 'Renew Monthly' }).waitFor({ timeout: 15_000 }).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${page.url()}\n${await page.locator('body').innerText()}`);
      });
      await checkPage(page, errors, { app: 'portal', name: 'renew', width: 390 });
      await page.getByRole('button', { name: 'Renew or manage billing' }).click();
      await page.waitForURL(`${front.url}/billing-portal/${portalSession}`);
      expect(sessionsAsked.map((form) => [form.get('customer'), form.get('return_url')])).toEqual([[customer, `${stack.baseUrl}/portal/licenses/${licenseId}`]]);
    } finally {
      await close();
    }
  });
});
