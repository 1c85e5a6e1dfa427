import type { EntityManager } from '@mikro-orm/postgresql';
import { maintainUsagePartitions } from '../../domain/usage/usage-partitions.ts';
import { daysToRollUp, rollUpUsageDays, unrolledDays } from '../../domain/usage/roll-up-usage-days.ts';

export interface UsageMaintenanceResult {
  created: string[];
  dropped: string[];
  rolledUp: string[];
}

/**
 * The usage-maintenance schedule's one activity, at the workflow's time `at` (a fake clock in
 * tests): day partitions created ahead and dropped past USAGE_RAW_RETENTION_DAYS, then the daily
 * roll-ups of yesterday, today and any earlier day still missing one.
 */
export function maintainUsage(deps: { em: EntityManager; rawRetentionDays: number }) {
  return async ({ at }: { at: number }): Promise<UsageMaintenanceResult> => {
    const now = new Date(at);
    const em = deps.em.fork();
    const partitions = await maintainUsagePartitions(em, now, { retentionDays: deps.rawRetentionDays });
    const days = [...new Set([...(await unrolledDays(em, now)), ...daysToRollUp(now)])].sort();
    await rollUpUsageDays(em, days);
    return { ...partitions, rolledUp: days };
  };
}
