import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Plan } from '../plan/plan.entity.ts';
import type { AbusePolicyOverrides } from './abuse-policy.ts';

/**
 * A plan's abuse thresholds and action, where they differ from the defaults
 * (schema/abuse/abuse-policy.ts). A table of its own, not plan columns: the license
 * workflows' policy stays as it is, and a plan without a row uses the defaults.
 */
export const PlanAbusePolicy = defineEntity({
  name: 'PlanAbusePolicy',
  tableName: 'plan_abuse_policy',
  properties: {
    plan: () => p.oneToOne(Plan).owner().primary().deleteRule('cascade'),
    policy: p.json<AbusePolicyOverrides>(),
    updatedAt: p.datetime(),
  },
});

export type PlanAbusePolicyEntity = InferEntity<typeof PlanAbusePolicy>;
