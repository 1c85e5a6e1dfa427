import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/**
 * The license writers that predate targets (the workflow's activity, the hot path's SQL
 * function) insert license rows without one: a row about a license targets that license.
 */
export const AUDIT_DEFAULT_TARGET_BODY =
  "if new.target_type is null and new.license_id is not null then new.target_type := 'license'; new.target_id := new.license_id::text; end if; return new;";
/** Append-only for every database role, whatever the API does: rows are never changed or removed. */
export const AUDIT_APPEND_ONLY_BODY = "raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege'";

/**
 * The audit trail: one row per change, append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). Who (`actor`, with a readable `actor_label`), what (`action`), to what
 * (`target_type`, `target_id`; `license` rows also name their license), why, from where
 * (the request's IP and user agent), and the state before and after. Never a secret.
 */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  indexes: [
    { name: 'audit_event_target_index', properties: ['targetType', 'targetId', 'createdAt'] },
    { name: 'audit_event_created_index', properties: ['createdAt', 'id'] },
    { name: 'audit_event_actor_index', properties: ['actor', 'createdAt'] },
  ],
  // TRUNCATE is refused too, by a statement trigger of the migration (schema introspection lists row triggers only).
  triggers: [
    { name: 'audit_event_default_target', timing: 'before', events: ['insert'], body: AUDIT_DEFAULT_TARGET_BODY },
    { name: 'audit_event_append_only', timing: 'before', events: ['update', 'delete'], body: AUDIT_APPEND_ONLY_BODY },
  ],
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).nullable().deleteRule('cascade').index('audit_event_license_index'),
    /** `staff:<id>`, `token:<id>`, `admin:<token name>`, `stripe:evt_…`, `system:<job>`, `workflow`. */
    actor: p.string().length(200),
    /** How a person reads the actor: an e-mail, a token's name. */
    actorLabel: p.string().length(320).nullable(),
    /** Dotted event name: `license.created`, `staff.invited`, `api_token.revoked`, … */
    action: p.string().length(100),
    /** `license`, `staff_member`, `api_token`, `staff_session`, `setting`, … (set from `license` for license rows). */
    // License rows written through the ORM leave the target to be derived from their license.
    targetType: p.string().length(50).onCreate((event: { targetType?: string }) => event.targetType ?? 'license'),
    targetId: p
      .string()
      .length(100)
      .onCreate((event: { targetId?: string | null; license?: { id: string } | string | null }) => event.targetId ?? (typeof event.license === 'string' ? event.license : event.license?.id) ?? null!)
      .nullable(),
    reason: p.text().nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type AuditEventEntity = InferEntity<typeof AuditEvent>;
