import type { Client } from '@temporalio/client';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { workflowIdFor, type LicenseWorkflowInput } from '../../workflows/license-state.ts';
import type { licenseWorkflow } from '../../workflows/license.workflow.ts';
import { CustomerEmailKey, LicenseExpiresAtKey, LicensePlanKey, LicenseStatusKey } from '../../workflows/search-attributes.ts';

/** Starts the license's workflow with its searchable attributes and a readable summary. */
export async function startLicenseWorkflow(
  deps: { temporal: Client; taskQueue: string },
  { license, planCode, customerEmail }: { license: LicenseEntity; planCode: string; customerEmail: string | null },
) {
  const input: LicenseWorkflowInput = {
    licenseId: license.id,
    status: license.status,
    plan: planCode,
    customerEmail,
    expiresAt: license.expiresAt?.toISOString() ?? null,
    trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
    version: license.version,
    statusReason: license.statusReason ?? null,
  };
  return deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', {
    workflowId: workflowIdFor(license.id),
    taskQueue: deps.taskQueue,
    args: [input],
    staticSummary: `License ${license.keyHint} · ${planCode}${customerEmail ? ` · ${customerEmail}` : ''}`,
    staticDetails: `License \`${license.id}\` (key ${license.keyHint}). Every lifecycle change to this license happens in this workflow.`,
    typedSearchAttributes: [
      { key: LicenseStatusKey, value: license.status },
      { key: LicensePlanKey, value: planCode },
      ...(customerEmail ? [{ key: CustomerEmailKey, value: customerEmail }] : []),
      ...(license.expiresAt ? [{ key: LicenseExpiresAtKey, value: license.expiresAt }] : []),
    ],
  });
}
