import type { EntityManager } from '@mikro-orm/postgresql';
import { effectivePolicy, type LicensePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy, type PlanEntity } from '../../schema/plan/plan.entity.ts';
import { changedFields } from '../audit/audited-write.ts';
import { lifecyclePolicy } from './lifecycle-policy.ts';
import { planView } from './plan-view.ts';
import { policyResource } from './policy.schema.ts';

/** The fields of the policy a license's workflow runs on: a change to one reaches running workflows. */
const LIFECYCLE_FIELDS = Object.keys(lifecyclePolicy({} as LicensePolicy)) as Array<keyof LicensePolicy>;
const SAMPLE_SIZE = 10;

export interface PlanEditImpact {
  /** The plan's fields that change, before and after (empty when nothing does). */
  changes: { before: Record<string, unknown>; after: Record<string, unknown> };
  /** Licenses on the plan that are not revoked. */
  licensesOnPlan: number;
  /** Of those, the ones whose effective policy changes (their own overrides do not mask every changed field). */
  affectedLicenses: number;
  /** Of those, the ones whose running workflow gets the new lifecycle policy (grace, reminders, term end). */
  workflowsToUpdate: number;
  /** Set when the plan's fixed term end moves: the licenses ending on the old end move to the new one. */
  termEndMoved: { from: string; to: string } | null;
  expiriesMoved: number;
  sample: Array<{ licenseId: string; keyHint: string; status: string; customerEmail: string | null; before: Record<string, unknown>; after: Record<string, unknown> }>;
}

function changedPolicyFields(before: LicensePolicy, after: LicensePolicy): Array<keyof LicensePolicy> {
  return (Object.keys(after) as Array<keyof LicensePolicy>).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** The plan's fixed term end before and after, when the edit moves it (a FIXED_END plan both times). */
export function movedTermEnd(before: LicensePolicy, after: LicensePolicy): { from: string; to: string } | null {
  if (before.termKind !== 'FIXED_END' || after.termKind !== 'FIXED_END' || !before.termEndsAt || !after.termEndsAt) return null;
  return before.termEndsAt === after.termEndsAt ? null : { from: before.termEndsAt, to: after.termEndsAt };
}

/**
 * What an edit does to the licenses on a plan, computed from the plan as loaded (`before`) and
 * as edited in memory (`plan`, not flushed): the counts in SQL, a sample with each license's
 * effective policy fields before and after. Nothing is written.
 */
export async function planEditImpact(em: EntityManager, plan: PlanEntity, before: { view: Record<string, unknown>; policy: LicensePolicy }): Promise<PlanEditImpact> {
  const afterPolicy = planPolicy(plan);
  const changes = changedFields(before.view, planView(plan)) ?? { before: {}, after: {} };
  const fields = changedPolicyFields(before.policy, afterPolicy);
  const lifecycleFields = fields.filter((field) => LIFECYCLE_FIELDS.includes(field) || field === 'termEndsAt');
  const termEndMoved = movedTermEnd(before.policy, afterPolicy);
  // A license is affected unless its overrides set every changed field. The names are the
  // policy's own field names (letters only), never input.
  const masked = (list: string[]) => (list.length ? `jsonb_exists_all(l.overrides, array[${list.map((field) => `'${field.replace(/[^A-Za-z]/g, '')}'`).join(', ')}]::text[])` : 'true');
  const [counts] = await em.execute<Array<{ on_plan: string; affected: string; workflows: string; moved: string }>>(
    `select count(*) as on_plan,
            count(*) filter (where not ${masked(fields)}) as affected,
            count(*) filter (where ${lifecycleFields.length > 0} and not ${masked(lifecycleFields)}) as workflows,
            count(*) filter (where ?::timestamptz is not null and l.expires_at = ?::timestamptz and l.status in ('ACTIVE', 'PAST_DUE', 'SUSPENDED')
                               and not jsonb_exists(l.overrides, 'termKind') and not jsonb_exists(l.overrides, 'termEndsAt')) as moved
       from license l where l.plan_id = ? and l.status <> 'REVOKED'`,
    [termEndMoved?.from ?? null, termEndMoved?.from ?? null, plan.id],
  );
  const rows = fields.length
    ? await em.execute<Array<{ id: string; key_hint: string; status: string; overrides: PolicyOverrides; expires_at: Date | null; email: string | null }>>(
        `select l.id, l.key_hint, l.status, l.overrides, l.expires_at, c.email
           from license l left join customer c on c.id = l.customer_id
          where l.plan_id = ? and l.status <> 'REVOKED' and not ${masked(fields)}
          order by l.id limit ${SAMPLE_SIZE}`,
        [plan.id],
      )
    : [];
  const sample = rows.map((row) => {
    const overrides = row.overrides ?? {};
    const was = effectivePolicy(before.policy, overrides);
    const now = effectivePolicy(afterPolicy, overrides);
    const diff = changedFields(policyResource(pick(was, fields)), policyResource(pick(now, fields))) ?? { before: {}, after: {} };
    const expiresAt = row.expires_at ? new Date(row.expires_at).toISOString() : null;
    if (termEndMoved && expiresAt === termEndMoved.from && ['ACTIVE', 'PAST_DUE', 'SUSPENDED'].includes(row.status) && overrides.termKind === undefined && overrides.termEndsAt === undefined) {
      diff.before.expires_at = termEndMoved.from;
      diff.after.expires_at = termEndMoved.to;
    }
    return { licenseId: row.id, keyHint: row.key_hint, status: row.status, customerEmail: row.email, ...diff };
  });
  return {
    changes,
    licensesOnPlan: Number(counts!.on_plan),
    affectedLicenses: Number(counts!.affected),
    workflowsToUpdate: Number(counts!.workflows),
    termEndMoved,
    expiriesMoved: Number(counts!.moved),
    sample,
  };
}

const pick = (policy: LicensePolicy, fields: Array<keyof LicensePolicy>) => Object.fromEntries(fields.map((field) => [field, policy[field]])) as Partial<LicensePolicy>;
