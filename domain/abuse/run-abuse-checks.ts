import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbuseAction, AbuseAlertKind } from '../../schema/abuse/abuse-alert.entity.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { licenseFacts } from './abuse-finding.ts';
import { readAbusePolicies } from './abuse-policy.ts';
import { actOnAbuseAlert } from './act-on-abuse-alert.ts';
import { raiseAbuseAlert } from './raise-abuse-alert.ts';
import { findTrialCycling } from './trial-cycling.ts';
import { findUsageAbuse } from './usage-findings.ts';

export interface AbuseCheckResult {
  /** Alerts raised by this run. */
  raised: { id: string; licenseId: string; kind: AbuseAlertKind; action: AbuseAction | null }[];
  /** Findings that merged into an alert already raised within its window. */
  merged: number;
}

/**
 * One run of the abuse checks at `now` (the abuse-checks schedule, every ABUSE_CHECK_EVERY):
 * every check over its sliding window of usage events (and, for trials, licenses, activations
 * and Stripe events), each judged against its license's plan policy; each finding raises an
 * alert or merges into one, and a new alert runs its plan's action.
 */
export async function runAbuseChecks(deps: { em: EntityManager; lifecycle: LicenseLifecycle }, now: Date): Promise<AbuseCheckResult> {
  const em = deps.em.fork();
  const policies = await readAbusePolicies(em);
  const findings = [...(await findUsageAbuse(em, now, policies)), ...(await findTrialCycling(em, now, policies))];
  const facts = await licenseFacts(em, findings.map((finding) => finding.licenseId), policies);
  const result: AbuseCheckResult = { raised: [], merged: 0 };
  // One action per license per run: a license suspended for one finding is not suspended again for the next.
  const actedOn = new Set<string>();
  for (const finding of findings) {
    const alert = await raiseAbuseAlert(deps.em, finding);
    if (!alert.created) {
      result.merged += 1;
      continue;
    }
    const license = facts.get(finding.licenseId);
    const action = license && !actedOn.has(finding.licenseId) ? await actOnAbuseAlert(deps, alert.id, finding, license.abuse.action, license.status) : null;
    if (action) actedOn.add(finding.licenseId);
    result.raised.push({ id: alert.id, licenseId: finding.licenseId, kind: finding.kind, action });
  }
  return result;
}
