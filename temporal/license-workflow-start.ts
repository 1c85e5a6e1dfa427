import type { Client } from '@temporalio/client';
import type { LicenseEntity } from '../schema/license/license.entity.ts';
import type { LicensePolicy } from '../schema/plan/plan-policy.ts';
import { workflowIdFor, type LicenseWorkflowInput, type LifecyclePolicy } from '../workflows/license-state.ts';
import type { licenseWorkflow } from '../workflows/license.workflow.ts';
import { CustomerEmailKey, LicenseExpiresAtKey, LicensePlanKey, LicenseStatusKey } from '../workflows/search-attributes.ts';

/** The part of a license's effective policy its workflow needs. */
export function lifecyclePolicy(policy: LicensePolicy): LifecyclePolicy {
  return { expiryGraceDays: policy.expiryGraceDays, paymentGraceDays: policy.paymentGraceDays, reminderOffsetsDays: policy.reminderOffsetsDays };
}

export interface WorkflowSubject {
  license: LicenseEntity;
  planId: string;
  planCode: string;
  policy: LicensePolicy;
  customerEmail: string | null;
}

/** The state a license's workflow starts from: descriptive fields only, never the key. */
export function licenseWorkflowInput({ license, planId, planCode, policy, customerEmail }: WorkflowSubject): LicenseWorkflowInput {
  return {
    licenseId: license.id,
    status: license.status,
    plan: planCode,
    customerEmail,
    expiresAt: license.expiresAt?.toISOString() ?? null,
    trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
    version: license.version,
    statusReason: license.statusReason ?? null,
    planId,
    policy: lifecyclePolicy(policy),
    periodStartedAt: license.createdAt.toISOString(),
  };
}

/** Start options of the license's workflow: its input, searchable attributes and a readable summary. */
export function licenseWorkflowStartOptions(
  taskQueue: string,
  subject: WorkflowSubject,
  /** Fields that differ from a fresh start, e.g. when the reconciler restarts a lost workflow. */
  overrides: Partial<LicenseWorkflowInput> = {},
) {
  const { license, planCode, customerEmail } = subject;
  return {
    workflowId: workflowIdFor(license.id),
    taskQueue,
    args: [{ ...licenseWorkflowInput(subject), ...overrides }] as [LicenseWorkflowInput],
    staticSummary: `License ${license.keyHint} · ${planCode}${customerEmail ? ` · ${customerEmail}` : ''}`,
    staticDetails: `License \`${license.id}\` (key ${license.keyHint}). Every lifecycle change to this license happens in this workflow.`,
    typedSearchAttributes: [
      { key: LicenseStatusKey, value: license.status },
      { key: LicensePlanKey, value: planCode },
      ...(customerEmail ? [{ key: CustomerEmailKey, value: customerEmail }] : []),
      ...(license.expiresAt ? [{ key: LicenseExpiresAtKey, value: license.expiresAt }] : []),
    ],
  };
}

/** Starts the license's workflow with its searchable attributes and a readable summary. */
export async function startLicenseWorkflow(deps: { temporal: Client; taskQueue: string }, subject: WorkflowSubject, overrides: Partial<LicenseWorkflowInput> = {}) {
  return deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', licenseWorkflowStartOptions(deps.taskQueue, subject, overrides));
}
