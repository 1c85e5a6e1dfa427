import type { ActivationEntity } from '../../schema/activation/activation.entity.ts';
import type { AuditEventEntity } from '../../schema/audit/audit-event.entity.ts';
import { iso } from '../http/resources.ts';
import { policyResource } from '../../domain/plans/policy.schema.ts';
import type { LicenseSnapshot } from '../../domain/licenses/license-snapshot.ts';

/** The admin view of a license (snake_case, like every API body). Never includes the key. */
export function licenseResource(license: LicenseSnapshot & { keyHint: string; customerId: string | null; overrides: Record<string, unknown>; metadata: Record<string, unknown>; createdAt: Date; updatedAt: Date }) {
  return {
    id: license.id,
    key_hint: license.keyHint,
    status: license.status,
    status_reason: license.statusReason,
    product: license.productCode,
    plan: license.planCode,
    plan_id: license.planId,
    customer_id: license.customerId,
    customer_email: license.customerEmail,
    features: license.policy.features,
    seat_limit: license.policy.seatLimit,
    seat_model: license.policy.seatModel,
    expires_at: iso(license.expiresAt),
    trial_ends_at: iso(license.trialEndsAt),
    overage_started_at: iso(license.overageStartedAt),
    policy: policyResource(license.policy),
    overrides: policyResource(license.overrides),
    metadata: license.metadata,
    version: license.version,
    workflow_id: `license-${license.id}`,
    created_at: iso(license.createdAt),
    updated_at: iso(license.updatedAt),
  };
}

export function activationResource(activation: ActivationEntity) {
  return {
    id: activation.id,
    fingerprint: activation.fingerprint,
    kind: activation.kind,
    name: activation.name ?? null,
    hostname: activation.hostname ?? null,
    platform: activation.platform ?? null,
    ip: activation.ip ?? null,
    domain: activation.domain ?? null,
    user: activation.userId ?? null,
    first_seen_at: iso(activation.firstSeenAt),
    last_seen_at: iso(activation.lastSeenAt),
    lease_expires_at: iso(activation.leaseExpiresAt),
    deactivated_at: iso(activation.deactivatedAt),
    deactivated_by: activation.deactivatedBy ?? null,
  };
}

export function auditEventResource(event: AuditEventEntity) {
  return {
    id: event.id,
    actor: event.actor,
    actor_label: event.actorLabel ?? null,
    action: event.action,
    reason: event.reason,
    before: event.before,
    after: event.after,
    created_at: iso(event.createdAt),
  };
}
