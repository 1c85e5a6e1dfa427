import { randomBytes } from 'node:crypto';
import type { OutreachConfig } from '../../lib/outreach-config.ts';
import { createPlan } from './api-fixtures.ts';
import type { ApiStack } from './api-stack.ts';
import { fakeCustomerIo, selfSignedCertificate } from './fake-providers.ts';
import { eventually } from './poll.ts';
import { Browser } from './staff.ts';

/** The transactional template of the portal's sign-in e-mail, in the tests' Customer.io. */
export const PORTAL_SIGN_IN_MESSAGE_ID = 'portal-sign-in';

/**
 * The fake Customer.io (HTTPS) and the stack options that send the portal's sign-in links
 * through it. Start it (`await cio.start(tls)`) before the stack.
 */
export function portalEmail() {
  const tls = selfSignedCertificate();
  const cio = fakeCustomerIo({ siteId: 'site-1', trackApiKey: 'track-key', appApiKey: 'app-key' });
  const stackOptions = (overrides: Partial<OutreachConfig> = {}) => ({
    outreach: {
      customerio: { appApiKey: 'app-key', region: 'us' as const, apiUrl: `${cio.url}/v1`, trackUrl: `${cio.url}/api/v1` },
      hubspot: { crmTiers: [] },
      renewalUrlTemplate: 'http://127.0.0.1:1/renew?license={license_id}',
      httpTimeoutMs: 5_000,
      ...overrides,
    },
    providerTls: { ca: tls.cert },
    identity: { email: { portalSignInMessageId: PORTAL_SIGN_IN_MESSAGE_ID } },
  });
  /** The newest sign-in link e-mailed to `email`, once it has arrived. */
  const signInMails = (email: string) => cio.emails.filter((mail) => mail.to === email && mail.transactional_message_id === PORTAL_SIGN_IN_MESSAGE_ID);
  const linkFor = (email: string, after = 0) =>
    eventually(
      () => {
        const mails = signInMails(email);
        return mails.length > after ? (mails.at(-1).message_data.link_url as string) : undefined;
      },
      { what: `a sign-in e-mail to ${email}` },
    );
  const mailsTo = (email: string) => signInMails(email).length;
  return { tls, cio, stackOptions, linkFor, mailsTo };
}

/** The secret of a portal sign-in link (`…/portal/link#token=kwc_…`). */
export const portalLinkToken = (url: string) => new URL(url).hash.replace(/^#token=/, '');

/** A customer with one license on a plan with this policy, made through the admin API. */
export async function seedCustomerLicense(stack: ApiStack, policy: Record<string, unknown> = {}, email = `buyer-${randomBytes(4).toString('hex')}@example.com`) {
  const plan = await createPlan(stack, { seat_limit: 2, deactivation_limit: 1, deactivation_period_days: 30, license_file_limit: 2, features: { export: true, projects: 25 }, ...policy });
  const customer = await stack.request('POST', '/v1/customers', { body: { email, name: 'Grace Hopper' } });
  if (customer.status !== 201) throw new Error(`customer not created: ${JSON.stringify(customer.body)}`);
  const license = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer_id: customer.body.id, expires_at: '2099-01-01T00:00:00Z' } });
  if (license.status !== 201) throw new Error(`license not created: ${JSON.stringify(license.body)}`);
  return { email, customerId: customer.body.id as string, licenseId: license.body.id as string, key: license.body.key as string, plan };
}

/** A machine activating the license, as the seller's software does; answers the status and body. */
export const activateMachine = (stack: ApiStack, key: string, fingerprint: string, name = fingerprint) =>
  stack.request('POST', '/v1/activate', { body: { key, fingerprint, name, hostname: `${fingerprint}.local`, platform: 'linux' }, token: null });

/** A browser signed in to the portal as the customer with `email`, through a link read from the fake Customer.io. */
export async function signInCustomer(stack: ApiStack, email: ReturnType<typeof portalEmail>, address: string): Promise<Browser> {
  const browser = new Browser(stack);
  const before = email.mailsTo(address);
  const asked = await browser.request('POST', '/v1/portal/sign-in-links', { body: { email: address } });
  if (asked.status !== 202) throw new Error(`link not requested: ${JSON.stringify(asked.body)}`);
  const link = await email.linkFor(address, before);
  const signedIn = await browser.request('POST', '/v1/portal/sessions', { body: { token: portalLinkToken(link) } });
  if (signedIn.status !== 201) throw new Error(`portal sign-in failed: ${JSON.stringify(signedIn.body)}`);
  browser.csrfToken = signedIn.body.csrf_token;
  return browser;
}
