import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { ApiStack } from '../api-stack.ts';
import type { StaffAccount } from '../staff.ts';

const hex = () => randomBytes(3).toString('hex');

async function created(answer: Promise<{ status: number; body: any }>, what: string) {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`${what} not created (${status}): ${JSON.stringify(body)}`);
  return body;
}

export interface SeededAccount {
  customer: { id: string; email: string; name: string };
  license: { id: string; key: string; hint: string };
  product: { id: string; code: string; name: string };
  plan: { id: string; code: string; name: string; tier: string };
}

/**
 * A customer with a license, made through the admin API as staff would (the license's workflow
 * runs on the stack's worker): a product, a plan, the customer, the license.
 */
export async function seedAccount(stack: ApiStack, options: { email?: string; name?: string; tier?: string; seats?: number; stripeCustomerId?: string } = {}): Promise<SeededAccount> {
  const suffix = hex();
  const product = await created(stack.request('POST', '/v1/products', { body: { code: `studio-${suffix}`, name: 'Acme Studio' } }), 'product');
  const tier = options.tier ?? 'enterprise';
  const plan = await created(
    stack.request('POST', '/v1/plans', {
      body: { product_id: product.id, code: `team-${suffix}`, name: 'Team', tier, seat_limit: options.seats ?? 10, features: { export: true, projects: 25 }, term_kind: 'DURATION', term_days: 365 },
    }),
    'plan',
  );
  const name = options.name ?? 'Ada Lovelace';
  const email = options.email ?? `${name.split(' ')[0]!.toLowerCase()}-${suffix}@example.com`;
  const customer = await created(stack.request('POST', '/v1/customers', { body: { email, name, ...(options.stripeCustomerId ? { stripe_customer_id: options.stripeCustomerId } : {}) } }), 'customer');
  const license = await created(stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer_id: customer.id } }), 'license');
  return {
    customer: { id: customer.id, email, name },
    license: { id: license.id, key: license.key, hint: license.key_hint },
    product: { id: product.id, code: product.code, name: product.name },
    plan: { id: plan.id, code: plan.code, name: plan.name, tier },
  };
}

/** A machine activating the license, as the seller's software does. */
export async function activate(stack: ApiStack, key: string, device: { fingerprint: string; name?: string; hostname?: string; platform?: string }) {
  const answer = await stack.request('POST', '/v1/activate', { body: { key, ...device }, token: null });
  if (answer.status !== 201) throw new Error(`activation refused (${answer.status}): ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Signs in through the console's own sign-in page and waits for the search page. */
export async function signInThroughPage(page: Page, baseUrl: string, account: Pick<StaffAccount, 'email' | 'password'>, path = '/admin/sign-in') {
  await page.goto(baseUrl + path);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
