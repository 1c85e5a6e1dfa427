import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutboxStatus } from '../../schema/outbox/outbox-message.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { Acting } from '../staff/staff-deps.ts';

/** An outbox message as a staff action on it reads it: enough to decide, and to audit before/after. */
export interface OutboxRow {
  id: string;
  license_id: string;
  event: string;
  channel: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
}

/** The select list of an OutboxRow. */
export const OUTBOX_ROW_COLUMNS = 'id, license_id, event, channel, status, attempts, last_error';

/** A staff action on an outbox message, on the audit trail: the row before, what it became, and why. */
export function auditOutboxMessage(em: EntityManager, acting: Acting, row: OutboxRow, action: string, reason: string, after: Record<string, unknown>) {
  return recordAuditEvent(em, {
    actor: acting.actor,
    origin: acting.origin,
    action,
    target: { type: 'outbox_message', id: row.id },
    licenseId: row.license_id,
    reason,
    before: { event: row.event, channel: row.channel, status: row.status, attempts: row.attempts, last_error: row.last_error },
    after,
  });
}
