import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbusePolicy, AbusePolicyOverrides } from '../../schema/abuse/abuse-policy.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { effectiveAbusePolicy } from './abuse-policy.ts';

async function storedOverrides(em: EntityManager, planId: string): Promise<AbusePolicyOverrides | null> {
  if (!(await em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from plan where id = ?`, [planId]))[0]!.n) {
    throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${planId}`);
  }
  const [row] = await em.getConnection().execute<{ policy: AbusePolicyOverrides }[]>(`select policy from plan_abuse_policy where plan_id = ?`, [planId]);
  return row?.policy ?? null;
}

/** A plan's abuse policy: its own settings over the defaults. */
export async function readPlanAbusePolicy(em: EntityManager, planId: string): Promise<AbusePolicy> {
  return effectiveAbusePolicy(await storedOverrides(em, planId));
}

/**
 * Replaces a plan's abuse settings (fields left out fall back to the defaults), audited with
 * the policy before and after. The next abuse check reads it; alerts already raised keep theirs.
 */
export async function setPlanAbusePolicy(em: EntityManager, planId: string, overrides: AbusePolicyOverrides, acting: Acting): Promise<AbusePolicy> {
  return em.fork().transactional(async (tx) => {
    const before = effectiveAbusePolicy(await storedOverrides(tx, planId));
    await tx.execute(
      `insert into plan_abuse_policy (plan_id, policy, updated_at) values (?, ?, now())
       on conflict (plan_id) do update set policy = excluded.policy, updated_at = excluded.updated_at`,
      [planId, JSON.stringify(overrides)],
    );
    const after = effectiveAbusePolicy(overrides);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'plan.abuse_policy_updated',
      target: { type: 'plan', id: planId },
      before: { ...before },
      after: { ...after },
      origin: acting.origin,
    });
    return after;
  });
}
