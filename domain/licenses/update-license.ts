import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { jsonObject, text } from '../../lib/text.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { DomainError } from '../domain-error.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../plans/lifecycle-policy.ts';
import { policyOverridesSchema, policyResource, termProblems, toPolicyOverrides } from '../plans/policy.schema.ts';
import { findLicense } from './find-license.ts';
import { commandActor, type LicenseActor } from './license-actor.ts';

export const updateLicenseSchema = z
  .object({
    overrides: policyOverridesSchema.optional().describe('The license\'s whole set of policy overrides: a field left out inherits the plan\'s. Absent: unchanged.'),
    metadata: jsonObject().optional().describe('The license\'s whole metadata object (e.g. `renewal_value`, `currency` for the CRM task). Absent: unchanged.'),
    reason: text().trim().min(1).max(1000).describe('Why: goes to the audit trail.'),
    dry_run: z.boolean().default(false).describe('Answer what would change, and change nothing.'),
  })
  .strict()
  .refine((body) => body.overrides !== undefined || body.metadata !== undefined, { message: 'send overrides, metadata or both', path: ['overrides'] });
export type UpdateLicenseInput = z.infer<typeof updateLicenseSchema>;

export interface UpdateLicenseDeps {
  em: EntityManager;
  lifecycle: LicenseLifecycle;
}

export interface TermChange {
  /** `overrides.seat_limit`, `policy.reminder_offsets_days`, `metadata.renewal_value`. */
  field: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function changesOf(prefix: string, before: Record<string, unknown>, after: Record<string, unknown>): TermChange[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter((field) => !same(before[field], after[field]))
    .map((field) => ({ field: `${prefix}.${field}`, from: before[field] ?? null, to: after[field] ?? null }));
}

/**
 * Edits a license's own terms: its policy overrides and its metadata, each replaced whole. The
 * edit is an update of the license's workflow (`updateTerms`): it takes the new lifecycle policy
 * (grace days, reminder offsets) at once, and its activity writes the row with its audit event
 * (and queues the CRM renewal task's update: a renewal value or seats changed). One path for
 * every edit, as for every other admin operation. A dry run answers the changes, writing nothing.
 */
export async function updateLicense(deps: UpdateLicenseDeps, id: string, input: UpdateLicenseInput, actor: LicenseActor) {
  const license = await findLicense(deps.em, id);
  if (license.status === 'REVOKED') throw new DomainError('LICENSE_ALREADY_REVOKED', `license ${id} is revoked; its terms can no longer change`);
  const plan = planPolicy(license.plan);
  const oldOverrides = license.overrides as PolicyOverrides;
  const newOverrides = input.overrides === undefined ? oldOverrides : toPolicyOverrides(input.overrides);
  const before = effectivePolicy(plan, oldOverrides);
  const after = effectivePolicy(plan, newOverrides);
  const problems = termProblems(after);
  if (problems.length) throw new DomainError('INVALID_REQUEST', problems.join('; '));

  const changes = [
    ...changesOf('policy', policyResource(before), policyResource(after)),
    ...(input.metadata === undefined ? [] : changesOf('metadata', license.metadata, input.metadata)),
  ];
  const lifecycleChanged = !same(lifecyclePolicy(before), lifecyclePolicy(after));
  const answer = { changes, lifecycle_changed: lifecycleChanged };
  if (input.dry_run || changes.length === 0) return { dry_run: input.dry_run, ...answer };
  const patch = {
    ...(input.overrides === undefined ? {} : { overrides: newOverrides as Record<string, unknown> }),
    ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
  };
  await deps.lifecycle.update(id, { name: 'updateTerms', args: { ...commandActor(actor), reason: input.reason, policy: lifecyclePolicy(after), ...patch } });
  return { dry_run: false, ...answer };
}
