import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { AbuseAlert } from '../../schema/entities.ts';
import type { AbuseAlertEntity } from '../../schema/abuse/abuse-alert.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { Acting } from '../staff/staff-deps.ts';

export const dismissAbuseAlertSchema = z.object({ reason: text().trim().min(1).max(1000) }).strict();

/**
 * Staff judged an alert harmless: DISMISSED, with who and why, audited in the same transaction.
 * An action already taken (a suspension) is not undone: reinstating is its own decision. While
 * its window runs, the same finding merges into the dismissed alert instead of raising a new one.
 */
export async function dismissAbuseAlert(em: EntityManager, id: string, reason: string, acting: Acting): Promise<AbuseAlertEntity> {
  return em.fork().transactional(async (tx) => {
    const alert = (await tx.findOne(AbuseAlert, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })) as AbuseAlertEntity | null;
    if (!alert) throw new DomainError('ABUSE_ALERT_NOT_FOUND', `no abuse alert with id ${id}`);
    if (alert.status === 'DISMISSED') throw new DomainError('ABUSE_ALERT_ALREADY_DISMISSED', `abuse alert ${id} was dismissed at ${alert.dismissedAt?.toISOString()} by ${alert.dismissedBy}`);
    const before = { status: alert.status };
    alert.status = 'DISMISSED';
    alert.dismissedAt = new Date();
    alert.dismissedBy = acting.label.slice(0, 200);
    alert.dismissReason = reason;
    alert.updatedAt = alert.dismissedAt;
    await tx.flush();
    const licenseId = (alert.license as unknown as { id: string }).id;
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'abuse_alert.dismissed',
      target: { type: 'abuse_alert', id },
      reason,
      before,
      after: { status: 'DISMISSED', kind: alert.kind },
      origin: acting.origin,
      licenseId,
    });
    return alert;
  });
}
