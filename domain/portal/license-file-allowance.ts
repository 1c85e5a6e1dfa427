import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicensePolicy } from '../../schema/plan/plan-policy.ts';

/** The plan's allowance counts over a rolling 30 days ("N files a month"). */
export const LICENSE_FILE_PERIOD_DAYS = 30;

/** License files the customer downloaded from the portal in the last 30 days, against the plan's limit. */
export async function licenseFileAllowance(em: EntityManager, licenseId: string, policy: Pick<LicensePolicy, 'licenseFileLimit'>, now: Date) {
  const since = new Date(now.getTime() - LICENSE_FILE_PERIOD_DAYS * 86_400_000);
  const rows = await em.execute<{ n: number }[]>(`select count(*)::int as n from offline_token where license_id = ? and issued_by like 'customer:%' and issued_at > ?`, [licenseId, since]);
  const used = rows[0]?.n ?? 0;
  return { limit: policy.licenseFileLimit, used, left: Math.max(0, policy.licenseFileLimit - used), periodDays: LICENSE_FILE_PERIOD_DAYS };
}
