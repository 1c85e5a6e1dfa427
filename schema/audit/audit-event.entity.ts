import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/** One row per change to a license: who did what, why, and the state before and after. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade').index('audit_event_license_index'),
    /** e.g. `admin:ops-token`, `stripe:evt_…`, `workflow`. */
    actor: p.string().length(200),
    /** Dotted event name: `license.created`, `license.revoked`, … */
    action: p.string().length(100),
    reason: p.text().nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type AuditEventEntity = InferEntity<typeof AuditEvent>;
