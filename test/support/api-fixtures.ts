import { randomBytes } from 'node:crypto';
import type { ApiStack } from './api-stack.ts';

/** A product and a plan with the given policy fields (snake_case, as the API takes them). */
export async function createPlan(stack: ApiStack, policy: Record<string, unknown> = {}) {
  const suffix = randomBytes(3).toString('hex');
  const product = await stack.request('POST', '/v1/products', { body: { code: `product-${suffix}`, name: 'Acme Desktop' } });
  const plan = await stack.request('POST', '/v1/plans', {
    body: { product_id: product.body.id, code: `plan-${suffix}`, name: 'Pro', tier: 'pro', features: { export: true }, ...policy },
  });
  if (plan.status !== 201) throw new Error(`plan not created: ${JSON.stringify(plan.body)}`);
  return plan.body as { id: string; code: string; product_id: string };
}

/** A license on a new plan with that policy; returns its id and key. */
export async function createLicense(stack: ApiStack, policy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const plan = await createPlan(stack, policy);
  const created = await stack.request('POST', '/v1/licenses', {
    body: { plan_id: plan.id, customer: { email: `buyer-${randomBytes(4).toString('hex')}@example.com` }, expires_at: '2099-01-01T00:00:00Z', ...extra },
  });
  if (created.status !== 201) throw new Error(`license not created: ${JSON.stringify(created.body)}`);
  return { id: created.body.id as string, key: created.body.key as string, plan };
}

export const client = (stack: ApiStack, path: string, body: Record<string, unknown>) => stack.request('POST', path, { body, token: null });
