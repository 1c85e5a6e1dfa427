import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseLifecycle } from '../../domain/lifecycle/license-lifecycle.ts';
import { runAbuseChecks, type AbuseCheckResult } from '../../domain/abuse/run-abuse-checks.ts';

/** The abuse-checks schedule's activity, at the workflow's time `at` (a fake clock in tests). */
export function runAbuseChecksActivity(deps: { em: EntityManager; lifecycle: LicenseLifecycle }) {
  return ({ at }: { at: number }): Promise<AbuseCheckResult> => runAbuseChecks(deps, new Date(at));
}
