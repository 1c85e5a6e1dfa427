import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../../schema/entities.ts';
import type { AdminActing } from '../../workflows/license-state.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

export interface LicenseEvent {
  action: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * Appends a license's audit row in the caller's transaction, after the license row is flushed.
 * An admin request's row goes through the one audit writer: it names the staff member or token
 * (`staff:<id>`, `token:<id>`, with a label) and the request's IP and user agent. System work
 * (and histories recorded before identities) keeps its label as the actor, as it always has.
 */
export async function recordLicenseEvent(tx: EntityManager, actor: string | AdminActing, licenseId: string, event: LicenseEvent): Promise<void> {
  if (typeof actor !== 'string') {
    await recordAuditEvent(tx, { actor: actor.actor, origin: actor.origin, target: { type: 'license', id: licenseId }, licenseId, ...event });
    return;
  }
  tx.create(AuditEvent, { id: randomUUID(), license: licenseId, actor, ...event });
  await tx.flush();
}
