import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { text } from '../http/text.ts';
import { License, Plan } from '../../schema/entities.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import type { LicenseState } from '../../workflows/license-state.ts';
import { workflowIdFor } from '../../workflows/license-state.ts';
import * as messages from '../../workflows/messages.ts';
import { Problem } from '../http/problem.ts';
import { idParam } from '../http/resources.ts';
import { policyResource } from '../plans/policy.schema.ts';
import { lifecyclePolicy } from './start-license-workflow.ts';
import { updateRejection } from './revoke-license.ts';

const reason = text().trim().min(1).max(1000);
const date = z.iso.datetime({ offset: true });

export const lifecycleSchemas = {
  'extend-trial': z.object({ until: date, reason }).strict(),
  'change-plan': z.object({ plan_id: idParam, effective: z.enum(['now', 'period_end']).default('now'), reason, dry_run: z.boolean().default(false) }).strict(),
  suspend: z.object({ reason }).strict(),
  reinstate: z.object({ reason }).strict(),
  renew: z.object({ until: date, reason }).strict(),
  'set-expiry': z.object({ expires_at: date.nullable(), reason }).strict(),
};
export type LifecycleOperation = keyof typeof lifecycleSchemas;

export interface LifecycleDeps {
  em: EntityManager;
  temporal: Client;
}

async function findLicense(em: EntityManager, id: string) {
  const license = await em.fork().findOne(License, { id }, { populate: ['plan'] });
  if (!license) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${id}`);
  return license;
}

/**
 * What a plan change would do, field by field: the effective policy before and after, and when.
 * Used as the dry run of /change-plan, so staff see exactly what will change.
 */
export async function previewPlanChange(em: EntityManager, licenseId: string, planId: string, effective: 'now' | 'period_end') {
  const license = await findLicense(em, licenseId);
  const target = await em.fork().findOne(Plan, { id: planId });
  if (!target) throw new Problem('PLAN_NOT_FOUND', `no plan with id ${planId}`);
  const overrides = license.overrides as PolicyOverrides;
  const before = policyResource(effectivePolicy(planPolicy(license.plan), overrides));
  const after = policyResource(effectivePolicy(planPolicy(target), overrides));
  const changes = Object.keys(after)
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, from: before[field], to: after[field] }));
  const effectiveAt = effective === 'period_end' && license.expiresAt ? license.expiresAt.toISOString() : 'now';
  return { from_plan: license.plan.code, to_plan: target.code, effective_at: effectiveAt, changes, target, overrides };
}

/** Sends an admin operation to the license's workflow as a validated update; returns the new state. */
export async function runLifecycleCommand(deps: LifecycleDeps, id: string, operation: LifecycleOperation, input: Record<string, unknown>, actor: string): Promise<LicenseState> {
  // A revoked license's workflow has completed: an update would find no workflow (LIFECYCLE_UNAVAILABLE, 503).
  if ((await findLicense(deps.em, id)).status === 'REVOKED') throw new Problem('LICENSE_ALREADY_REVOKED', `license ${id} is revoked; revocation is final`);
  const handle = deps.temporal.workflow.getHandle(workflowIdFor(id));
  const command = { actor, reason: input.reason as string };
  try {
    switch (operation) {
      case 'extend-trial':
        return await handle.executeUpdate(messages.extendTrialUpdate, { args: [{ ...command, until: new Date(input.until as string).toISOString() }] });
      case 'suspend':
        return await handle.executeUpdate(messages.suspendUpdate, { args: [command] });
      case 'reinstate':
        return await handle.executeUpdate(messages.reinstateUpdate, { args: [command] });
      case 'renew':
        return await handle.executeUpdate(messages.renewUpdate, { args: [{ ...command, until: new Date(input.until as string).toISOString() }] });
      case 'set-expiry':
        return await handle.executeUpdate(messages.setExpiryUpdate, { args: [{ ...command, at: input.expires_at ? new Date(input.expires_at as string).toISOString() : null }] });
      case 'change-plan': {
        const preview = await previewPlanChange(deps.em, id, input.plan_id as string, input.effective as 'now' | 'period_end');
        const policy = lifecyclePolicy(effectivePolicy(planPolicy(preview.target), preview.overrides));
        return await handle.executeUpdate(messages.changePlanUpdate, {
          args: [{ ...command, planId: preview.target.id, planCode: preview.target.code, policy, effective: input.effective as 'now' | 'period_end' }],
        });
      }
    }
  } catch (error) {
    throw updateRejection(error) ?? error;
  }
}

/** The workflow's upcoming timeline, for staff: reminders, expiry, grace ends, scheduled changes. */
export async function licenseTimeline(deps: LifecycleDeps, id: string) {
  await findLicense(deps.em, id);
  const handle = deps.temporal.workflow.getHandle(workflowIdFor(id));
  try {
    const [state, timeline] = await Promise.all([handle.query(messages.stateQuery), handle.query(messages.timelineQuery)]);
    return {
      status: state.status,
      expires_at: state.expiresAt,
      trial_ends_at: state.trialEndsAt,
      scheduled_plan_change: state.scheduledPlanChange ? { plan: state.scheduledPlanChange.planCode, effective_at: state.scheduledPlanChange.effectiveAt } : null,
      upcoming: timeline.map((d) => ({ at: new Date(d.at).toISOString(), kind: d.kind, days_before: d.offsetDays ?? null, summary: d.summary })),
    };
  } catch (error) {
    throw updateRejection(error) ?? error;
  }
}
