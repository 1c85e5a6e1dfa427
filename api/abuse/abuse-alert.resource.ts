import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AbuseAlert } from '../../schema/entities.ts';
import { ABUSE_ALERT_KINDS, ABUSE_ALERT_STATUSES, type AbuseAlertEntity } from '../../schema/abuse/abuse-alert.entity.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { idParam, iso } from '../http/resources.ts';

export const listAbuseAlertsQuery = pageQuerySchema
  .extend({ status: z.enum(ABUSE_ALERT_STATUSES).optional(), kind: z.enum(ABUSE_ALERT_KINDS).optional(), license_id: idParam.optional() })
  .strict();

/** An abuse alert as staff see it: what was found, over which window, and what was done about it. */
export function abuseAlertResource(alert: AbuseAlertEntity) {
  return {
    id: alert.id,
    license_id: typeof alert.license === 'object' ? (alert.license as { id: string }).id : (alert.license as string),
    kind: alert.kind,
    status: alert.status,
    evidence: alert.evidence,
    window_start: iso(alert.windowStart),
    window_end: iso(alert.windowEnd),
    occurrences: alert.occurrences,
    action: alert.action ?? null,
    acted_at: iso(alert.actedAt),
    dismissed_at: iso(alert.dismissedAt),
    dismissed_by: alert.dismissedBy ?? null,
    dismiss_reason: alert.dismissReason ?? null,
    created_at: iso(alert.createdAt),
    updated_at: iso(alert.updatedAt),
  };
}

/** Alerts matching the filters, newest first, one page at a time. */
export function listAbuseAlerts(em: EntityManager, query: z.infer<typeof listAbuseAlertsQuery>) {
  const where: Record<string, unknown> = {};
  if (query.status) where.status = query.status;
  if (query.kind) where.kind = query.kind;
  if (query.license_id) where.license = query.license_id;
  return paginate(em, AbuseAlert, where, query, abuseAlertResource);
}
