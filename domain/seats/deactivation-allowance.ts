import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicensePolicy } from '../../schema/plan/plan-policy.ts';

const DAY_MS = 86_400_000;

export interface DeactivationAllowance {
  /** Self-service frees allowed per period; null: no cap. */
  limit: number | null;
  used: number;
  /** null: no cap. */
  left: number | null;
  periodDays: number;
}

/**
 * The plan's cap on deactivations, and how much of it this period has used. One count for every
 * path the cap bounds: the licensed software's /v1/deactivate (`deactivated_by = 'self'`), the
 * customer's "free this seat" in the portal (`customer:<id>`) and a staff reset within the cap
 * (`reset:<actor>`), so a reset spends the customer's frees and the other way round. An admin's
 * forced free of one seat and a reset beyond the cap (`reset-override:<actor>`) do not count.
 */
export async function deactivationAllowance(em: EntityManager, licenseId: string, policy: Pick<LicensePolicy, 'deactivationLimit' | 'deactivationPeriodDays'>, now: Date): Promise<DeactivationAllowance> {
  const { deactivationLimit: limit, deactivationPeriodDays: periodDays } = policy;
  if (limit === null) return { limit, used: 0, left: null, periodDays };
  const since = new Date(now.getTime() - periodDays * DAY_MS);
  const rows = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from activation where license_id = ? and (deactivated_by = 'self' or deactivated_by like 'customer:%' or deactivated_by like 'reset:%') and deactivated_at > ?`,
    [licenseId, since],
  );
  const used = rows[0]?.n ?? 0;
  return { limit, used, left: Math.max(0, limit - used), periodDays };
}
