import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseStatus } from '../schema/license/license-status.ts';
import { AuditEvent, License } from '../schema/entities.ts';

export interface TransitionInput {
  licenseId: string;
  to: LicenseStatus;
  /** Dotted audit action, e.g. `license.revoked`. */
  action: string;
  actor: string;
  reason: string | null;
}

export interface TransitionResult {
  licenseId: string;
  status: LicenseStatus;
  version: number;
  /** False when the row already had that status (an activity retry after a crash). */
  changed: boolean;
}

/** Channel the API listens on to drop cached validation results. */
export const LICENSE_CHANGED_CHANNEL = 'keywarden_license_changed';
/** A plan's policy changed: every license on it may validate differently (payload: plan id). */
export const PLAN_CHANGED_CHANNEL = 'keywarden_plan_changed';

/**
 * Writes one status change: locks the row, bumps its version, records the audit event and
 * notifies API replicas, all in one transaction. Idempotent, so activity retries are safe.
 */
export async function applyLicenseTransition(em: EntityManager, input: TransitionInput): Promise<TransitionResult> {
  return em.fork().transactional(async (tx) => {
    const license = await tx.findOneOrFail(License, { id: input.licenseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (license.status === input.to) {
      return { licenseId: license.id, status: license.status, version: license.version, changed: false };
    }
    const before = { status: license.status, version: license.version };
    license.status = input.to;
    license.statusReason = input.reason;
    license.version += 1;
    tx.create(AuditEvent, {
      id: randomUUID(),
      license,
      actor: input.actor,
      action: input.action,
      reason: input.reason,
      before,
      after: { status: license.status, version: license.version },
    });
    await tx.flush();
    await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, license.id]);
    return { licenseId: license.id, status: license.status, version: license.version, changed: true };
  });
}
