import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateLicenseKey, licenseKeyHint } from '../../lib/license-key.ts';
import { ServerSecret } from '../../lib/server-secret.ts';
import { License } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import type { LicenseWorkflowInput } from '../../workflows/license-state.ts';

export const testSecret = () => new ServerSecret(randomBytes(32));

/** Inserts a license row directly, as the create-license service would. */
export async function insertLicense(em: EntityManager, secret: ServerSecret, overrides: Partial<LicenseEntity> = {}) {
  const key = generateLicenseKey();
  const id = randomUUID();
  const fork = em.fork();
  const license = fork.create(License, {
    id,
    keyHash: secret.lookupHash(key),
    keyHint: licenseKeyHint(key),
    keyCiphertext: secret.encrypt(key, `license:${id}`),
    status: 'ACTIVE',
    plan: 'pro',
    features: { export: true },
    seatLimit: 5,
    customerEmail: 'ada@example.com',
    expiresAt: new Date('2027-11-22T00:00:00Z'),
    trialEndsAt: null,
    metadata: {},
    version: 1,
    statusReason: null,
    ...overrides,
  });
  await fork.flush();
  return { license, key };
}

export function workflowInputFor(license: LicenseEntity): LicenseWorkflowInput {
  return {
    licenseId: license.id,
    status: license.status,
    plan: license.plan,
    customerEmail: license.customerEmail ?? null,
    expiresAt: license.expiresAt?.toISOString() ?? null,
    trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
    version: license.version,
    statusReason: license.statusReason ?? null,
  };
}
