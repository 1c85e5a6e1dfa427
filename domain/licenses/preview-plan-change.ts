import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../../schema/entities.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { DomainError } from '../domain-error.ts';
import { findLicense } from './find-license.ts';
import { policyResource } from '../plans/policy.schema.ts';

/**
 * What a plan change would do, field by field: the effective policy before and after, and when.
 * Used as the dry run of /change-plan, so staff see exactly what will change.
 */
export async function previewPlanChange(em: EntityManager, licenseId: string, planId: string, effective: 'now' | 'period_end') {
  const license = await findLicense(em, licenseId);
  const target = await em.fork().findOne(Plan, { id: planId });
  if (!target) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${planId}`);
  const overrides = license.overrides as PolicyOverrides;
  const before = policyResource(effectivePolicy(planPolicy(license.plan), overrides));
  const after = policyResource(effectivePolicy(planPolicy(target), overrides));
  const changes = Object.keys(after)
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, from: before[field], to: after[field] }));
  const effectiveAt = effective === 'period_end' && license.expiresAt ? license.expiresAt.toISOString() : 'now';
  return { from_plan: license.plan.code, to_plan: target.code, effective_at: effectiveAt, changes, target, overrides };
}
