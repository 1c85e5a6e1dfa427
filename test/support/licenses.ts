import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateLicenseKey, licenseKeyHint } from '../../lib/license-key.ts';
import { ServerSecret } from '../../lib/server-secret.ts';
import { Customer, License, Plan, Product } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { POLICY_DEFAULTS, type LicensePolicy } from '../../schema/plan/plan-policy.ts';
import type { LicenseWorkflowInput } from '../../workflows/license-state.ts';
import { licenseWorkflowInput } from '../../temporal/license-workflow-start.ts';

export const testSecret = () => new ServerSecret(randomBytes(32));

/** A product and a plan with the given policy (defaults otherwise). */
export async function insertPlan(em: EntityManager, policy: Partial<LicensePolicy> = {}, code = `plan-${randomBytes(3).toString('hex')}`) {
  const fork = em.fork();
  const product = fork.create(Product, { id: randomUUID(), code: `product-${randomBytes(3).toString('hex')}`, name: 'Acme Desktop', metadata: {} });
  const { termEndsAt, ...rest } = { ...POLICY_DEFAULTS, features: { export: true }, seatLimit: 5, ...policy };
  const plan = fork.create(Plan, {
    id: randomUUID(), product, code, name: code, tier: 'pro', stripePriceIds: [], ...rest, termEndsAt: termEndsAt ? new Date(termEndsAt) : null,
  });
  await fork.flush();
  return plan;
}

/** Inserts a license row directly (with its plan and customer), as the create-license service would. */
export async function insertLicense(
  em: EntityManager,
  secret: ServerSecret,
  overrides: Partial<LicenseEntity> = {},
  policy: Partial<LicensePolicy> = {},
) {
  const plan = await insertPlan(em, policy);
  const key = generateLicenseKey();
  const id = randomUUID();
  const fork = em.fork();
  const email = `customer-${randomBytes(4).toString('hex')}@example.com`;
  const customer = fork.create(Customer, { id: randomUUID(), email, metadata: {} });
  const license = fork.create(License, {
    id,
    keyHash: secret.lookupHash(key),
    keyHint: licenseKeyHint(key),
    keyCiphertext: secret.encrypt(key, `license:${id}`),
    status: 'ACTIVE',
    plan: plan.id,
    customer,
    overrides: {},
    expiresAt: new Date('2099-01-01T00:00:00Z'),
    trialEndsAt: null,
    metadata: {},
    version: 1,
    statusReason: null,
    ...overrides,
  } as never) as LicenseEntity;
  await fork.flush();
  return { license, key, plan, customerEmail: email };
}

/** The input the API would start this license's workflow with (skeleton fields only). */
export function workflowInputFor(license: LicenseEntity, planCode: string, customerEmail: string | null): LicenseWorkflowInput {
  const { planId: _p, policy: _l, periodStartedAt: _s, ...input } = licenseWorkflowInput({
    license: { ...license, createdAt: license.createdAt ?? new Date() } as LicenseEntity,
    planId: '',
    planCode,
    policy: POLICY_DEFAULTS,
    customerEmail,
  });
  return input;
}
