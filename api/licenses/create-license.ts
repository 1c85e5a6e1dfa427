import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { generateLicenseKey, licenseKeyHint } from '../../lib/license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { AuditEvent, License } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import type { LicenseWorkflowInput } from '../../workflows/license-state.ts';
import { workflowIdFor } from '../../workflows/license-state.ts';
import type { licenseWorkflow } from '../../workflows/license.workflow.ts';
import {
  CustomerEmailKey,
  LicenseExpiresAtKey,
  LicensePlanKey,
  LicenseStatusKey,
} from '../../workflows/search-attributes.ts';
import { Problem } from '../http/problem.ts';

const featureValue = z.union([z.boolean(), z.number(), z.string().max(200)]);

export const createLicenseSchema = z
  .object({
    plan: z.string().trim().min(1).max(100),
    customer_email: z.email().max(320).optional(),
    features: z.record(z.string().min(1).max(100), featureValue).default({}),
    seat_limit: z.number().int().min(1).max(1_000_000).nullable().default(null),
    expires_at: z.iso.datetime({ offset: true }).nullable().default(null),
    trial_ends_at: z.iso.datetime({ offset: true }).nullable().default(null),
    metadata: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type CreateLicenseInput = z.infer<typeof createLicenseSchema>;

export interface CreateLicenseDeps {
  em: EntityManager;
  temporal: Client;
  secret: ServerSecret;
  taskQueue: string;
}

/**
 * Creates the license row (with its audit event), then starts its workflow. The raw key is
 * returned to the caller once and is never stored or passed to Temporal.
 */
export async function createLicense(deps: CreateLicenseDeps, input: CreateLicenseInput, actor: string) {
  const trial = input.trial_ends_at !== null;
  const key = generateLicenseKey({ trial });
  const id = randomUUID();
  const em = deps.em.fork();
  const license = em.create(License, {
    id,
    keyHash: deps.secret.lookupHash(key),
    keyHint: licenseKeyHint(key),
    keyCiphertext: deps.secret.encrypt(key, `license:${id}`),
    status: trial ? 'TRIALING' : 'ACTIVE',
    plan: input.plan,
    features: input.features,
    seatLimit: input.seat_limit,
    customerEmail: input.customer_email?.toLowerCase() ?? null,
    expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    trialEndsAt: input.trial_ends_at ? new Date(input.trial_ends_at) : null,
    metadata: input.metadata,
    version: 1,
    statusReason: null,
  });
  em.create(AuditEvent, {
    id: randomUUID(),
    license,
    actor,
    action: 'license.created',
    reason: null,
    before: null,
    after: { status: license.status, plan: license.plan, version: 1 },
  });
  await em.flush();

  try {
    await startLicenseWorkflow(deps, license);
  } catch (error) {
    // Without its workflow the license would never expire or renew: undo the row.
    await deps.em.fork().nativeDelete(License, { id });
    throw new Problem('LIFECYCLE_UNAVAILABLE', 'the lifecycle engine (Temporal) could not start this license; nothing was created', {
      extra: { cause: (error as Error).message },
    });
  }
  return { license, key };
}

export async function startLicenseWorkflow(deps: Pick<CreateLicenseDeps, 'temporal' | 'taskQueue'>, license: LicenseEntity) {
  const input: LicenseWorkflowInput = {
    licenseId: license.id,
    status: license.status,
    plan: license.plan,
    customerEmail: license.customerEmail ?? null,
    expiresAt: license.expiresAt?.toISOString() ?? null,
    trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
    version: license.version,
    statusReason: license.statusReason ?? null,
  };
  return deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', {
    workflowId: workflowIdFor(license.id),
    taskQueue: deps.taskQueue,
    args: [input],
    staticSummary: `License ${license.keyHint} · ${license.plan}${license.customerEmail ? ` · ${license.customerEmail}` : ''}`,
    staticDetails: `License \`${license.id}\` (key ${license.keyHint}). Every lifecycle change to this license happens in this workflow.`,
    typedSearchAttributes: [
      { key: LicenseStatusKey, value: license.status },
      { key: LicensePlanKey, value: license.plan },
      ...(license.customerEmail ? [{ key: CustomerEmailKey, value: license.customerEmail }] : []),
      ...(license.expiresAt ? [{ key: LicenseExpiresAtKey, value: license.expiresAt }] : []),
    ],
  });
}
