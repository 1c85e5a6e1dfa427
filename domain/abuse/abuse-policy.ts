import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ABUSE_ACTIONS } from '../../schema/abuse/abuse-alert.entity.ts';
import { ABUSE_POLICY_DEFAULTS, type AbusePolicy, type AbusePolicyOverrides } from '../../schema/abuse/abuse-policy.ts';

/** A plan's abuse policy as the API takes it (snake_case; every field optional: a field left out keeps its default). */
export const abusePolicyRequestSchema = z
  .object({
    action: z.enum(ABUSE_ACTIONS).optional(),
    velocity_validations_per_hour: z.number().int().min(1).max(100_000_000).optional(),
    velocity_distinct_ips: z.number().int().min(1).max(10_000_000).optional(),
    max_countries_per_day: z.number().int().min(1).max(300).optional(),
    referrer_check: z.boolean().optional(),
    trials_per_identity: z.number().int().min(1).max(1000).optional(),
    fingerprints_per_week: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .strict();
export type AbusePolicyRequest = z.infer<typeof abusePolicyRequestSchema>;

const FIELDS: Record<keyof AbusePolicyRequest, keyof AbusePolicy> = {
  action: 'action',
  velocity_validations_per_hour: 'velocityValidationsPerHour',
  velocity_distinct_ips: 'velocityDistinctIps',
  max_countries_per_day: 'maxCountriesPerDay',
  referrer_check: 'referrerCheck',
  trials_per_identity: 'trialsPerIdentity',
  fingerprints_per_week: 'fingerprintsPerWeek',
};

export function overridesFromRequest(request: AbusePolicyRequest): AbusePolicyOverrides {
  const overrides: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) if (value !== undefined) overrides[FIELDS[field as keyof AbusePolicyRequest]] = value;
  return overrides as AbusePolicyOverrides;
}

/** A policy as the API shows it (snake_case, every field). */
export function abusePolicyView(policy: AbusePolicy) {
  return Object.fromEntries(Object.entries(FIELDS).map(([field, key]) => [field, policy[key]]));
}

export const effectiveAbusePolicy = (overrides: AbusePolicyOverrides | null | undefined): AbusePolicy => ({ ...ABUSE_POLICY_DEFAULTS, ...(overrides ?? {}) });

/** Every plan's abuse policy that differs from the defaults, by plan id. */
export async function readAbusePolicies(em: EntityManager): Promise<Map<string, AbusePolicy>> {
  const rows = await em.getConnection().execute<{ plan_id: string; policy: AbusePolicyOverrides }[]>(`select plan_id, policy from plan_abuse_policy`);
  return new Map(rows.map((row) => [row.plan_id, effectiveAbusePolicy(row.policy)]));
}
