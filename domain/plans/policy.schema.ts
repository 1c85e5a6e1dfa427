import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { isValidCidr, isValidDomainPattern } from '../../lib/network-match.ts';
import { SEAT_MODELS, TERM_KINDS, type LicensePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';

const featureValue = z.union([z.boolean(), z.number(), text().max(200)]);
const days = z.number().int().min(0).max(36_500);

/** Policy fields as the API spells them (snake_case). Plans set them; licenses override them. */
export const policyFields = {
  features: z.record(text().min(1).max(100), featureValue),
  seat_limit: z.number().int().min(1).max(1_000_000).nullable(),
  seat_model: z.enum(SEAT_MODELS),
  overage_seats: z.number().int().min(0).max(10_000),
  overage_days: days,
  term_kind: z.enum(TERM_KINDS),
  term_days: z.number().int().min(1).max(36_500).nullable(),
  term_ends_at: z.iso.datetime({ offset: true }).nullable(),
  trial_days: z.number().int().min(1).max(3650).nullable(),
  expiry_grace_days: days,
  payment_grace_days: days,
  reminder_offsets_days: z.array(days).max(20),
  cache_ttl_seconds: z.number().int().min(0).max(30 * 86400),
  trial_cache_ttl_seconds: z.number().int().min(0).max(30 * 86400),
  allowed_domains: z.array(text().refine(isValidDomainPattern, 'must be a domain such as example.com or *.example.com')).max(100),
  allowed_cidrs: z.array(text().refine(isValidCidr, 'must be an IP range such as 10.0.0.0/8')).max(100),
  deactivation_limit: z.number().int().min(0).max(100_000).nullable(),
  deactivation_period_days: z.number().int().min(1).max(3650),
  lease_seconds: z.number().int().min(30).max(30 * 86400),
  license_file_limit: z.number().int().min(0).max(1000),
};

export const policyOverridesSchema = z.object(policyFields).partial().strict();
export type PolicyInput = z.infer<typeof policyOverridesSchema>;

const camel = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function toPolicyOverrides(input: PolicyInput): PolicyOverrides {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    out[camel(field)] = field === 'reminder_offsets_days' ? [...new Set(value as number[])].sort((a, b) => b - a) : value;
  }
  return out as PolicyOverrides;
}

export function policyResource(policy: LicensePolicy | PolicyOverrides): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).map(([field, value]) => [snake(field), value]));
}

/** Checks the combination of term fields that individual field schemas cannot. */
export function termProblems(policy: Pick<LicensePolicy, 'termKind' | 'termDays' | 'termEndsAt'>): string[] {
  const problems: string[] = [];
  if (policy.termKind === 'DURATION' && !policy.termDays) problems.push('term_days: required when term_kind is DURATION');
  if (policy.termKind === 'FIXED_END' && !policy.termEndsAt) problems.push('term_ends_at: required when term_kind is FIXED_END');
  return problems;
}
