import type { Client } from '@temporalio/client';
import type { LicenseSubject } from '../domain/lifecycle/license-lifecycle.ts';
import { lifecyclePolicy } from '../domain/plans/lifecycle-policy.ts';
import { workflowIdFor, type LicenseWorkflowInput } from '../workflows/license-state.ts';
import type { licenseWorkflow } from '../workflows/license.workflow.ts';
import { CustomerEmailKey, LicenseExpiresAtKey, LicensePlanKey, LicenseStatusKey } from '../workflows/search-attributes.ts';

/** The state a license's workflow starts from: descriptive fields only, never the key. */
export function licenseWorkflowInput({ license, planId, planCode, policy, customerEmail }: LicenseSubject): LicenseWorkflowInput {
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
  subject: LicenseSubject,
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
export async function startLicenseWorkflow(deps: { temporal: Client; taskQueue: string }, subject: LicenseSubject, overrides: Partial<LicenseWorkflowInput> = {}) {
  return deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', licenseWorkflowStartOptions(deps.taskQueue, subject, overrides));
}
