import { z } from 'zod';
import { KEY_ALPHABET, KEY_GROUP_LENGTH, KEY_GROUPS, LICENSE_KEY_PREFIX, TRIAL_KEY_PREFIX } from '../../../lib/license-key.ts';
import { ACTIVATION_KINDS } from '../../../schema/activation/activation.entity.ts';
import { createLicenseSchema } from '../../../domain/licenses/create-license.ts';
import { forceDeactivateSchema } from '../../../domain/seats/force-deactivate-seat.ts';
import { revokeLicenseSchema } from '../../../domain/licenses/revoke-license.ts';
import { updateLicenseSchema } from '../../../domain/licenses/update-license.ts';
import { policyFields, policyOverridesSchema } from '../../../domain/plans/policy.schema.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { LicenseStatus, metadata, page, timestamp, uuid } from './common.ts';

const prefixes = `(${LICENSE_KEY_PREFIX}|${TRIAL_KEY_PREFIX})`;
const group = `[${KEY_ALPHABET}]{${KEY_GROUP_LENGTH}}`;
/** A whole license key, and a key hint, as the API shows them. */
export const licenseKeyPattern = new RegExp(`^${prefixes}(-${group}){${KEY_GROUPS}}$`);
export const keyHintPattern = new RegExp(`^${prefixes}-…-${group}$`);

// The policy is the same in both directions: a plan's whole policy, a license's overrides of it.
export const Policy = responseSchema('Policy', z.object(policyFields), 'The effective policy: the plan\'s, with the license\'s overrides on top.');
responseSchema('PolicyOverrides', policyOverridesSchema, 'Policy fields set on this license, overriding its plan.');
requestSchema('PolicyOverrides', policyOverridesSchema, 'Policy fields set on this license, overriding its plan.');

export const CreateLicenseRequest = requestSchema(
  'CreateLicenseRequest',
  createLicenseSchema,
  'A license on a plan, for an existing customer (`customer_id`) or one found or created by email (`customer`).',
);
export const UpdateLicenseRequest = requestSchema(
  'UpdateLicenseRequest',
  updateLicenseSchema,
  'A license\'s own terms: its policy overrides and metadata, each replaced whole (absent: unchanged); at least one of the two.',
);
export const LicenseTermsPreview = responseSchema(
  'LicenseTermsPreview',
  z.object({
    dry_run: z.literal(true),
    changes: z.array(z.object({ field: z.string().describe('`policy.<field>` (the effective policy) or `metadata.<key>`.'), from: z.unknown(), to: z.unknown() })),
    lifecycle_changed: z.boolean().describe('Whether the lifecycle terms (grace days, reminder offsets) change: the workflow\'s deadlines follow.'),
  }),
  'What an edit of a license\'s terms changes, field by field.',
);
export const RevokeLicenseRequest = requestSchema('RevokeLicenseRequest', revokeLicenseSchema, 'Revoking is permanent; the reason goes to the audit trail.');
export const ForceDeactivateRequest = requestSchema(
  'ForceDeactivateRequest',
  forceDeactivateSchema,
  'Optional: why the seat is freed (goes to the audit trail). The body may be omitted.',
);

/** Mirrors licenseResource() + current_activations (api/licenses/get-license.ts: licenseView). */
export const License = responseSchema(
  'License',
  z.object({
    id: uuid,
    key_hint: z.string().regex(new RegExp(`^${prefixes}-…-${group}$`)).describe('The key\'s prefix and last group; the key itself is shown only at creation.'),
    status: LicenseStatus,
    status_reason: z.string().nullable(),
    product: z.string().describe('The product code.'),
    plan: z.string().describe('The plan code.'),
    plan_id: uuid,
    customer_id: uuid.nullable(),
    customer_email: z.string().nullable(),
    features: policyFields.features,
    seat_limit: z.number().int().min(1).nullable(),
    seat_model: policyFields.seat_model,
    expires_at: timestamp.nullable(),
    trial_ends_at: timestamp.nullable(),
    overage_started_at: timestamp.nullable(),
    policy: Policy,
    overrides: policyOverridesSchema,
    metadata,
    version: z.number().int().min(1),
    workflow_id: z.string().describe('The Temporal workflow that owns this license\'s lifecycle.'),
    created_at: timestamp,
    updated_at: timestamp,
    current_activations: z.number().int().min(0),
  }),
  'The admin view of a license. Never includes the key.',
);

export const CreatedLicense = responseSchema(
  'CreatedLicense',
  License.extend({ key: z.string().regex(new RegExp(`^${prefixes}(-${group}){${KEY_GROUPS}}$`)).describe('The license key: shown this once, never again.') }),
  'The new license, with its key.',
);

/** Mirrors activationResource() in api/licenses/license.resource.ts. */
export const Activation = responseSchema(
  'Activation',
  z.object({
    id: uuid,
    fingerprint: z.string(),
    kind: z.enum(ACTIVATION_KINDS),
    name: z.string().nullable(),
    hostname: z.string().nullable(),
    platform: z.string().nullable(),
    ip: z.string().nullable(),
    domain: z.string().nullable(),
    user: z.string().nullable(),
    first_seen_at: timestamp,
    last_seen_at: timestamp,
    lease_expires_at: timestamp.nullable(),
    deactivated_at: timestamp.nullable(),
    deactivated_by: z.string().nullable().describe('`self` (the client), `admin:<token name>`, `lease-expired`.'),
  }),
  'One device, user or lease on a license; deactivated ones stay in the history.',
);

/** Mirrors auditEventResource() in api/licenses/license.resource.ts. */
export const AuditEvent = responseSchema(
  'AuditEvent',
  z.object({
    id: uuid,
    actor: z.string().describe('`staff:<id>`, `token:<id>`, `system:<job>`; older rows and system work: a label such as `admin:<token name>`, `stripe:evt_…`'),
    actor_label: z.string().nullable().describe('How a person reads the actor: an e-mail, a token\'s name'),
    action: z.string().describe('Dotted event name: license.created, license.revoked, activation.created, …'),
    reason: z.string().nullable(),
    before: metadata.nullable(),
    after: metadata.nullable(),
    created_at: timestamp,
  }),
);

export const LicenseDetail = responseSchema(
  'LicenseDetail',
  License.extend({ activations: z.array(Activation), audit_events: z.array(AuditEvent) }),
  'A license with its activation history (newest first, up to 500) and audit trail (newest first, up to 200).',
);

/** Mirrors the row mapper of listLicenses() in api/licenses/list-licenses.ts. */
export const LicenseSummary = responseSchema(
  'LicenseSummary',
  z.object({
    id: uuid,
    key_hint: z.string(),
    status: LicenseStatus,
    plan: z.string(),
    customer_email: z.string().nullable(),
    expires_at: timestamp.nullable(),
    trial_ends_at: timestamp.nullable(),
    version: z.number().int().min(1),
    created_at: timestamp,
  }),
);
export const LicensePage = page('LicensePage', LicenseSummary);
