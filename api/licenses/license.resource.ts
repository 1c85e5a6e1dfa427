import type { AuditEventEntity } from '../../schema/audit/audit-event.entity.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** The admin view of a license (snake_case, like every API body). Never includes the key. */
export function licenseResource(license: LicenseEntity) {
  return {
    id: license.id,
    key_hint: license.keyHint,
    status: license.status,
    status_reason: license.statusReason,
    plan: license.plan,
    features: license.features,
    seat_limit: license.seatLimit,
    customer_email: license.customerEmail,
    expires_at: iso(license.expiresAt),
    trial_ends_at: iso(license.trialEndsAt),
    metadata: license.metadata,
    version: license.version,
    workflow_id: `license-${license.id}`,
    created_at: iso(license.createdAt),
    updated_at: iso(license.updatedAt),
  };
}

export function auditEventResource(event: AuditEventEntity) {
  return {
    id: event.id,
    actor: event.actor,
    action: event.action,
    reason: event.reason,
    before: event.before,
    after: event.after,
    created_at: iso(event.createdAt),
  };
}
