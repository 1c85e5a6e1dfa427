import { POLICY_DEFAULTS, type LicensePolicy } from '../../schema/plan/plan-policy.ts';
import { planPolicy, type PlanEntity } from '../../schema/plan/plan.entity.ts';
import { DomainError } from '../domain-error.ts';
import { policyResource, termProblems, toPolicyOverrides, type PolicyInput } from './policy.schema.ts';

/** A plan as its audit events and edit previews show it: what an admin sets, snake_case. */
export function planView(plan: PlanEntity): Record<string, unknown> {
  return { code: plan.code, name: plan.name, tier: plan.tier, ...policyResource(planPolicy(plan)), stripe_price_ids: plan.stripePriceIds };
}

/** What a plan edit may set besides its policy. */
export interface PlanFields {
  name?: string;
  tier?: string;
  stripe_price_ids?: string[];
}

/** The entity columns an input sets (only those sent). */
export function planColumns(input: PolicyInput & PlanFields): Record<string, unknown> {
  const { name, tier, stripe_price_ids, ...policy } = input;
  const overrides = toPolicyOverrides(policy);
  const columns: Record<string, unknown> = { ...overrides, name, tier, stripePriceIds: stripe_price_ids };
  if (overrides.termEndsAt !== undefined) columns.termEndsAt = overrides.termEndsAt ? new Date(overrides.termEndsAt) : null;
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** The defaults a new plan starts from (a fixed term end is never defaulted). */
export function planDefaults(): Omit<LicensePolicy, 'termEndsAt'> {
  const { termEndsAt: _none, ...defaults } = POLICY_DEFAULTS;
  return defaults;
}

/** A term the fields allow one by one but not together (DURATION without days): refused by field. */
export function assertPlanTerm(plan: PlanEntity): void {
  const problems = termProblems(planPolicy(plan));
  if (problems.length === 0) return;
  const errors = problems.map((problem) => ({ field: problem.slice(0, problem.indexOf(':')), message: problem.slice(problem.indexOf(':') + 1).trim() }));
  throw new DomainError('INVALID_REQUEST', problems.join('; '), { extra: { errors } });
}
