import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { effectivePolicy } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import type { LicenseState } from '../../workflows/license-state.ts';
import { DomainError } from '../domain-error.ts';
import { idParam } from '../ids.ts';
import type { AdminUpdate, LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../plans/lifecycle-policy.ts';
import { previewPlanChange } from './preview-plan-change.ts';
import { findLicense } from './find-license.ts';
import { commandActor, type LicenseActor } from './license-actor.ts';

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
  lifecycle: LicenseLifecycle;
}

/** The workflow update an admin operation is, with its arguments. */
async function adminUpdate(deps: LifecycleDeps, id: string, operation: LifecycleOperation, input: Record<string, unknown>, actor: LicenseActor): Promise<AdminUpdate> {
  const command = { ...commandActor(actor), reason: input.reason as string };
  switch (operation) {
    case 'extend-trial':
      return { name: 'extendTrial', args: { ...command, until: new Date(input.until as string).toISOString() } };
    case 'suspend':
      return { name: 'suspend', args: command };
    case 'reinstate':
      return { name: 'reinstate', args: command };
    case 'renew':
      return { name: 'renew', args: { ...command, until: new Date(input.until as string).toISOString() } };
    case 'set-expiry':
      return { name: 'setExpiry', args: { ...command, at: input.expires_at ? new Date(input.expires_at as string).toISOString() : null } };
    case 'change-plan': {
      const preview = await previewPlanChange(deps.em, id, input.plan_id as string, input.effective as 'now' | 'period_end');
      const policy = lifecyclePolicy(effectivePolicy(planPolicy(preview.target), preview.overrides));
      return { name: 'changePlan', args: { ...command, planId: preview.target.id, planCode: preview.target.code, policy, effective: input.effective as 'now' | 'period_end' } };
    }
  }
}

/** Sends an admin operation to the license's workflow as a validated update; returns the new state. */
export async function runLifecycleCommand(deps: LifecycleDeps, id: string, operation: LifecycleOperation, input: Record<string, unknown>, actor: LicenseActor): Promise<LicenseState> {
  // A revoked license's workflow has completed: an update would find no workflow (LIFECYCLE_UNAVAILABLE, 503).
  if ((await findLicense(deps.em, id)).status === 'REVOKED') throw new DomainError('LICENSE_ALREADY_REVOKED', `license ${id} is revoked; revocation is final`);
  return deps.lifecycle.update(id, await adminUpdate(deps, id, operation, input, actor));
}
