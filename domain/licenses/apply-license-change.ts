import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, License, Plan } from '../../schema/entities.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import type { AdminActing } from '../../workflows/license-state.ts';
import type { LicensePatch } from '../../workflows/lifecycle/effects.ts';
import { recordLicenseEvent } from './record-license-event.ts';

export interface ApplyLicenseChangeInput {
  licenseId: string;
  patch: LicensePatch;
  action: string;
  /** The label (`staff:<email>`, `billing:evt_…`, `workflow`): the row's actor when `by` is absent. */
  actor: string;
  /** The staff member or API token and the request's origin, for an admin request. */
  by?: AdminActing;
  reason: string | null;
  /** The bulk operation this change is part of: its audit row names it (`after.bulk_operation_id`). */
  bulkOperationId?: string;
}

export interface LicenseChangeResult {
  /** The row version after the call. */
  version: number;
  /** False when there was nothing left to change (an activity retry after a crash). */
  changed: boolean;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
/** JSON objects (overrides, metadata) compare by content, whatever their key order. */
const canonical = (value: unknown): string =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value as object).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`
    : Array.isArray(value) ? `[${value.map(canonical).join(',')}]` : JSON.stringify(value ?? null);
/** Compared by content: the overrides, the metadata and a license's own feature set. */
const OBJECT_FIELDS = new Set(['overrides', 'metadata', 'features']);

/**
 * The one write path of a license's lifecycle (status changes included: a patch `{ status }`):
 * locks the row, applies the fields that differ, bumps the version, records the audit event
 * (the fields before and after) and notifies API replicas, in one transaction. A retry after a
 * crash finds nothing left to change and writes nothing. A patch with no fields records the
 * event alone (e.g. a cancellation scheduled).
 */
export function applyLicenseChange(em: EntityManager) {
  return async (input: ApplyLicenseChangeInput): Promise<LicenseChangeResult> =>
    em.fork().transactional(async (tx) => {
      const license = await tx.findOneOrFail(License, { id: input.licenseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const current = {
        status: license.status,
        expiresAt: iso(license.expiresAt),
        trialEndsAt: iso(license.trialEndsAt),
        planId: typeof license.plan === 'object' ? license.plan.id : (license.plan as string),
        statusReason: license.statusReason ?? null,
        seatLimit: (license.overrides as PolicyOverrides).seatLimit ?? null,
        overrides: license.overrides as Record<string, unknown>,
        metadata: license.metadata,
        features: (license.overrides as PolicyOverrides).features ?? null,
      };
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(input.patch) as [keyof LicensePatch, unknown][]) {
        const normalized = (field === 'expiresAt' || field === 'trialEndsAt') && value ? new Date(value as string).toISOString() : value;
        const differs = OBJECT_FIELDS.has(field) ? canonical(current[field]) !== canonical(normalized) : current[field] !== normalized;
        if (differs) {
          before[field] = current[field];
          after[field] = normalized;
        }
      }
      const eventOnly = Object.keys(input.patch).length === 0;
      if (!eventOnly && Object.keys(after).length === 0) return { version: license.version, changed: false };
      if (eventOnly) {
        const recorded = await tx.count(AuditEvent, { license: license.id, action: input.action, reason: input.reason });
        if (recorded > 0) return { version: license.version, changed: false };
      }
      if ('status' in after) license.status = after.status as typeof license.status;
      if ('expiresAt' in after) license.expiresAt = after.expiresAt ? new Date(after.expiresAt as string) : null;
      if ('trialEndsAt' in after) license.trialEndsAt = after.trialEndsAt ? new Date(after.trialEndsAt as string) : null;
      if ('statusReason' in after) license.statusReason = after.statusReason as string | null;
      if ('seatLimit' in after) license.overrides = { ...(license.overrides as PolicyOverrides), seatLimit: after.seatLimit as number | null };
      if ('overrides' in after) license.overrides = after.overrides as PolicyOverrides;
      if ('metadata' in after) license.metadata = after.metadata as Record<string, unknown>;
      if ('features' in after) license.overrides = { ...(license.overrides as PolicyOverrides), features: after.features as PolicyOverrides['features'] };
      if ('planId' in after) license.plan = tx.getReference(Plan, after.planId as string);
      license.version += 1;
      await tx.flush();
      await recordLicenseEvent(tx, input.by ?? input.actor, license.id, { action: input.action, reason: input.reason, before: { ...before, version: license.version - 1 }, after: { ...after, version: license.version, ...(input.bulkOperationId ? { bulk_operation_id: input.bulkOperationId } : {}) } });
      await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, license.id]);
      return { version: license.version, changed: true };
    });
}
