import type { EntityManager } from '@mikro-orm/postgresql';
import { findLicense } from '../../domain/licenses/find-license.ts';
import type { LifecycleClient } from '../../temporal/lifecycle-client.ts';

/** The workflow's upcoming timeline, for staff: reminders, expiry, grace ends, scheduled changes. */
export async function licenseTimeline(deps: { em: EntityManager; lifecycle: LifecycleClient }, id: string) {
  await findLicense(deps.em, id);
  const { state, timeline } = await deps.lifecycle.timeline(id);
  return {
    status: state.status,
    expires_at: state.expiresAt,
    trial_ends_at: state.trialEndsAt,
    scheduled_plan_change: state.scheduledPlanChange ? { plan: state.scheduledPlanChange.planCode, effective_at: state.scheduledPlanChange.effectiveAt } : null,
    upcoming: timeline.map((d) => ({ at: new Date(d.at).toISOString(), kind: d.kind, days_before: d.offsetDays ?? null, summary: d.summary })),
  };
}
