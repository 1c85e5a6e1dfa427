import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { LicenseActivities } from '../../activities/index.ts';
import type { AdminCommand, LicenseState } from '../license-state.ts';
import { CustomerEmailKey, LicenseExpiresAtKey, LicensePlanKey, LicenseStatusKey } from '../search-attributes.ts';
import type { Outcome } from './effects.ts';

const activities = proxyActivities<LicenseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Runs an outcome's effects in order; returns the row version the last write produced. */
export async function persistEffects(state: LicenseState, outcome: Outcome): Promise<number | undefined> {
  let version: number | undefined;
  for (const effect of outcome.effects) {
    if (effect.kind === 'persist') {
      const written = await activities.applyLicenseChange.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `${effect.action}${effect.reason ? `: ${effect.reason}` : ''}` },
        [{ licenseId: state.licenseId, patch: effect.patch, action: effect.action, actor: effect.actor, ...(effect.by ? { by: effect.by } : {}), reason: effect.reason, ...(effect.bulkOperationId ? { bulkOperationId: effect.bulkOperationId } : {}) }],
      );
      version = written.version;
    } else {
      const next = outcome.state;
      await activities.recordNotification.executeWithOptions({ startToCloseTimeout: '30 seconds', summary: `Queue ${effect.event} message` }, [
        {
          licenseId: state.licenseId,
          event: effect.event,
          idempotencyKey: effect.key,
          data: { ...effect.data, fired_at: new Date().toISOString(), license_id: state.licenseId, plan: next.plan, status: next.status, expires_at: next.expiresAt, customer_email: next.customerEmail },
        },
      ]);
    }
  }
  return version;
}

/** Drift repair: the workflow owns the lifecycle, so its state is written back to the row. */
export function writeStateToRow(state: LicenseState, reason: string): Promise<number | undefined> {
  const patch = { status: state.status, expiresAt: state.expiresAt, trialEndsAt: state.trialEndsAt, statusReason: state.statusReason, ...(state.planId ? { planId: state.planId } : {}) };
  return persistEffects(state, { state, effects: [{ kind: 'persist', patch, action: 'license.reconciled', actor: 'reconciler', reason }] });
}

/** Kept as the walking skeleton called it, so its histories replay (only its input gained `by`). */
export function revokeLicense(state: LicenseState, command: AdminCommand) {
  return activities.revokeLicense.executeWithOptions(
    { startToCloseTimeout: '30 seconds', summary: `Revoke license: ${command.reason}` },
    [{ licenseId: state.licenseId, actor: command.actor, ...(command.by ? { by: command.by } : {}), reason: command.reason, ...(command.bulkOperationId ? { bulkOperationId: command.bulkOperationId } : {}) }],
  );
}

function describe(state: LicenseState): string {
  const expiry = state.expiresAt ? `expires ${state.expiresAt.slice(0, 10)}` : state.trialEndsAt ? `trial ends ${state.trialEndsAt.slice(0, 10)}` : 'perpetual';
  const reason = state.statusReason ? ` — ${state.statusReason}` : '';
  const scheduled = state.scheduledPlanChange ? ` · moves to ${state.scheduledPlanChange.planCode} on ${state.scheduledPlanChange.effectiveAt.slice(0, 10)}` : '';
  return `**${state.status}** · plan ${state.plan} · ${expiry}${scheduled}${reason}`;
}

/** Search attributes and current details: what staff see in the Temporal Web UI. */
export function publish(state: LicenseState): void {
  const updates: SearchAttributeUpdatePair[] = [
    { key: LicenseStatusKey, value: state.status },
    { key: LicensePlanKey, value: state.plan },
    { key: LicenseExpiresAtKey, value: state.expiresAt ? new Date(state.expiresAt) : null },
    { key: CustomerEmailKey, value: state.customerEmail },
  ];
  upsertSearchAttributes(updates);
  setCurrentDetails(describe(state));
}
