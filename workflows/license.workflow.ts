import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { LicenseActivities } from '../activities/index.ts';
import type { AdminCommand, LicenseState, LicenseWorkflowInput } from './license-state.ts';
import { rejectLicenseOperation } from './license-failures.ts';
import { revokeUpdate, stateQuery } from './messages.ts';
import {
  CustomerEmailKey,
  LicenseExpiresAtKey,
  LicensePlanKey,
  LicenseStatusKey,
} from './search-attributes.ts';

const { revokeLicense } = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function describe(state: LicenseState): string {
  const expiry = state.expiresAt ? `expires ${state.expiresAt.slice(0, 10)}` : 'perpetual';
  const reason = state.statusReason ? ` — ${state.statusReason}` : '';
  return `**${state.status}** · plan ${state.plan} · ${expiry}${reason}`;
}

function publish(state: LicenseState): void {
  const updates: SearchAttributeUpdatePair[] = [
    { key: LicenseStatusKey, value: state.status },
    { key: LicensePlanKey, value: state.plan },
    { key: LicenseExpiresAtKey, value: state.expiresAt ? new Date(state.expiresAt) : null },
    { key: CustomerEmailKey, value: state.customerEmail },
  ];
  upsertSearchAttributes(updates);
  setCurrentDetails(describe(state));
}

/**
 * One long-lived workflow per license (id `license-<id>`). It owns every lifecycle transition;
 * activities write Postgres so the validation path sees each transition at once.
 */
export async function licenseWorkflow(input: LicenseWorkflowInput): Promise<LicenseState> {
  const state: LicenseState = { ...input };
  // Admin operations run one at a time, in arrival order.
  let operationInProgress = false;

  setHandler(stateQuery, () => state);

  setHandler(
    revokeUpdate,
    async (command: AdminCommand) => {
      // Re-check after every wake-up: handlers released in the same activation would
      // otherwise all see the lock free before the first of them takes it.
      while (operationInProgress) await condition(() => !operationInProgress);
      if (state.status === 'REVOKED') {
        throw rejectLicenseOperation('LICENSE_ALREADY_REVOKED', `license ${state.licenseId} is already revoked`);
      }
      operationInProgress = true;
      try {
        const written = await revokeLicense.executeWithOptions(
          { startToCloseTimeout: '30 seconds', summary: `Revoke license: ${command.reason}` },
          [{ licenseId: state.licenseId, actor: command.actor, reason: command.reason }],
        );
        Object.assign(state, { status: written.status, version: written.version, statusReason: command.reason });
        publish(state);
        return { ...state };
      } finally {
        operationInProgress = false;
      }
    },
    {
      description: 'Revoke the license for good (refund, chargeback, fraud, admin decision).',
      validator: (command: AdminCommand) => {
        if (!command?.reason?.trim()) throw rejectLicenseOperation('REASON_REQUIRED', 'a reason is required to revoke a license');
        if (state.status === 'REVOKED') {
          throw rejectLicenseOperation('LICENSE_ALREADY_REVOKED', `license ${state.licenseId} is already revoked`);
        }
      },
    },
  );

  publish(state);

  for (;;) {
    await condition(() => state.status === 'REVOKED' || workflowInfo().continueAsNewSuggested);
    // Only leave the loop once every update handler has finished, so no caller loses its answer.
    await condition(allHandlersFinished);
    if (state.status === 'REVOKED') return state;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof licenseWorkflow>(state);
  }
}
