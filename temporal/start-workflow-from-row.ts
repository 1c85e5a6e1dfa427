import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { licenseWorkflowStartOptions, startLicenseWorkflow } from './license-workflow-start.ts';
import { License } from '../schema/entities.ts';
import type { LicenseEntity } from '../schema/license/license.entity.ts';
import { effectivePolicy, type PolicyOverrides } from '../schema/plan/plan-policy.ts';
import type { LicenseSubject } from '../domain/lifecycle/license-lifecycle.ts';
import type { TemporalCall } from './call-deadline.ts';
import { planPolicy } from '../schema/plan/plan.entity.ts';
import type { LicenseWorkflowInput } from '../workflows/license-state.ts';
import type { licenseWorkflow } from '../workflows/license.workflow.ts';
import { billingHistory } from './billing-history.ts';

/**
 * What a workflow started again from its row needs beyond the row's own fields. The new period
 * starts now, so reminders already due are not sent late; a PAST_DUE license's grace counts
 * from the row's last change (the row does not keep when the payment failed); the billing
 * facts already delivered (from the Stripe event log) are remembered, so a redelivered event
 * is not applied twice and an older fact arriving late does not override a newer one.
 */
export async function rowRestartOverrides(
  em: EntityManager,
  license: LicenseEntity,
  now: Date,
  /** Events being processed again now that were delivered before (replays). */
  deliveredBefore: string[] = [],
): Promise<Partial<LicenseWorkflowInput>> {
  return {
    periodStartedAt: now.toISOString(),
    pastDueSince: license.status === 'PAST_DUE' ? license.updatedAt.toISOString() : null,
    subscriptionId: license.stripeSubscriptionId ?? null,
    ...(await billingHistory(em, license, deliveredBefore)),
  };
}

/** What starting from the row needs: Postgres (read before the call), Temporal, and the deadline of the call. */
interface RowDeps {
  em: EntityManager;
  temporal: Client;
  taskQueue: string;
  call: TemporalCall;
}

/** A license row (with its plan and customer loaded) as its workflow starts from it. */
export function rowSubject(license: LicenseEntity): LicenseSubject {
  const policy = effectivePolicy(planPolicy(license.plan), license.overrides as PolicyOverrides);
  return { license, planId: license.plan.id, planCode: license.plan.code, policy, customerEmail: license.customer?.email ?? null };
}

/**
 * Starts a license's workflow again from its row: the row is the last known state (see
 * rowRestartOverrides). Returns false when a run is already there (someone else started it first).
 */
export async function startWorkflowFromRow(deps: RowDeps, licenseId: string, now: Date): Promise<boolean> {
  const license = await deps.em.fork().findOneOrFail(License, { id: licenseId }, { populate: ['plan', 'customer'] });
  const overrides = await rowRestartOverrides(deps.em, license, now);
  try {
    await deps.call('start the license workflow from its row', () => startLicenseWorkflow(deps, rowSubject(license), overrides));
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/**
 * Makes sure the license's workflow runs (it may not, after a crash between row and start, or
 * when it was terminated since): a run that starts here starts from the row, like a restart.
 */
export async function ensureWorkflowRunning(deps: RowDeps, license: LicenseEntity): Promise<void> {
  if (license.status === 'REVOKED') return;
  const options = licenseWorkflowStartOptions(deps.taskQueue, rowSubject(license), await rowRestartOverrides(deps.em, license, new Date()));
  try {
    await deps.call('make sure the license workflow runs', () =>
      deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', { ...options, workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
