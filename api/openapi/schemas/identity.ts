import { z } from 'zod';
import { ROLES, SCOPES } from '../../../lib/roles.ts';
import { STAFF_LINK_PURPOSES } from '../../../schema/staff/staff-link.entity.ts';
import { STAFF_STATUSES } from '../../../schema/staff/staff-member.entity.ts';
import {
  auditEventQuery, apiTokenListQuery, changePasswordRequest, confirmTwoFactorRequest, createApiTokenRequest, inspectLinkRequest, inviteStaffRequest,
  passwordConfirmationRequest, passwordResetRequest, redeemLinkRequest, resetTwoFactorRequest, returnToQuery, revokeApiTokenQuery, signInRequest,
  staffListQuery, updateMeRequest, updateSettingsRequest, updateStaffRequest,
} from '../../staff/identity-requests.ts';
import { endSessionQuery, signOutEverywhereRequest } from '../../staff/identity-requests.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { page, timestamp, uuid } from './common.ts';

// Enums shared by requests and responses carry the same name in both directions.
export const Role = responseSchema('Role', z.enum(ROLES), 'A staff role: a fixed set of scopes (see the README\'s roles table).');
requestSchema('Role', z.enum(ROLES), 'A staff role: a fixed set of scopes (see the README\'s roles table).');
export const Scope = responseSchema('Scope', z.enum(SCOPES), 'What a token or a role may do; `admin` holds every scope.');
requestSchema('Scope', z.enum(SCOPES), 'What a token or a role may do; `admin` holds every scope.');
const StaffStatus = responseSchema('StaffStatus', z.enum(STAFF_STATUSES));
requestSchema('StaffStatus', z.enum(STAFF_STATUSES));

// Requests: the routes' own schemas, so the document cannot drift from what the API accepts.
export const SignInRequest = requestSchema('SignInRequest', signInRequest, 'E-mail and password; `totp_code` or `recovery_code` when the member has two-factor on.');
export const PasswordResetRequest = requestSchema('PasswordResetRequest', passwordResetRequest);
export const InspectStaffLinkRequest = requestSchema('InspectStaffLinkRequest', inspectLinkRequest, 'The `token` from the link\'s fragment (`#token=kwl_…`).');
export const RedeemStaffLinkRequest = requestSchema('RedeemStaffLinkRequest', redeemLinkRequest);
export const InviteStaffRequest = requestSchema('InviteStaffRequest', inviteStaffRequest);
export const UpdateStaffRequest = requestSchema('UpdateStaffRequest', updateStaffRequest, 'Only the fields sent change; `reason` is recorded in the audit trail.');
export const ResetTwoFactorRequest = requestSchema('ResetTwoFactorRequest', resetTwoFactorRequest);
export const UpdateMeRequest = requestSchema('UpdateMeRequest', updateMeRequest);
export const ChangePasswordRequest = requestSchema('ChangePasswordRequest', changePasswordRequest);
export const ConfirmTwoFactorRequest = requestSchema('ConfirmTwoFactorRequest', confirmTwoFactorRequest);
export const PasswordConfirmationRequest = requestSchema('PasswordConfirmationRequest', passwordConfirmationRequest);
export const CreateApiTokenRequest = requestSchema('CreateApiTokenRequest', createApiTokenRequest);
export const UpdateSettingsRequest = requestSchema('UpdateSettingsRequest', updateSettingsRequest);
export const SignOutEverywhereRequest = requestSchema('SignOutEverywhereRequest', signOutEverywhereRequest, 'Optional: why, for the audit trail.');
export { auditEventQuery, apiTokenListQuery, endSessionQuery, returnToQuery, revokeApiTokenQuery, staffListQuery };

// Responses.
const StaffSummary = z.object({ id: uuid, email: z.string(), name: z.string(), role: Role });

/** Mirrors signedInBody() in api/sessions/signed-in.ts. */
export const SignedInSession = responseSchema(
  'SignedInSession',
  z.object({
    session_id: uuid,
    staff: StaffSummary,
    scopes: z.array(Scope).describe('What this session may do (empty until two-factor is enrolled when owners require it).'),
    csrf_token: z.string().describe('Send as `X-CSRF-Token` with every write made with the session cookie.'),
    expires_at: timestamp.describe('When the session ends however busy it is.'),
    idle_expires_at: timestamp.describe('When it ends unless used before then (each request moves it on).'),
    two_factor_enrolment_required: z.boolean(),
  }),
  'A signed-in browser session (the cookie itself is HttpOnly and never in a body).',
);
export const SignInMethods = responseSchema(
  'SignInMethods',
  z.object({ password: z.boolean(), oidc: z.object({ start_url: z.string() }).nullable(), setup_required: z.boolean().describe('No staff yet: the first owner is set up with the banner\'s one-time link.') }),
);
export const Accepted = responseSchema('Accepted', z.object({ detail: z.string() }));

/** Mirrors staffResource() in api/staff/identity-resources.ts. */
export const StaffMember = responseSchema(
  'StaffMember',
  z.object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role: Role,
    status: StaffStatus,
    password_set: z.boolean(),
    two_factor_enabled: z.boolean(),
    sso_managed: z.boolean().describe('Created by single sign-on: the identity provider\'s claims decide the role.'),
    last_sign_in_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  }),
);
export const StaffMemberPage = page('StaffMemberPage', StaffMember);

/** Mirrors linkResource(). */
export const StaffLinkSent = responseSchema(
  'StaffLinkSent',
  z.object({
    expires_at: timestamp,
    delivery: z.enum(['SENT', 'NOT_CONFIGURED', 'FAILED']),
    delivery_detail: z.string().nullable(),
    link: z.string().nullable().describe('The one-time link, only when it was not e-mailed: hand it to the member. Shown once.'),
  }),
  'A one-time link (single use, one hour) and how it reached the member.',
);
export const InvitedStaffMember = responseSchema('InvitedStaffMember', StaffMember.extend({ invitation: StaffLinkSent }));
export const StaffLinkInfo = responseSchema(
  'StaffLinkInfo',
  z.object({ purpose: z.enum(STAFF_LINK_PURPOSES), expires_at: timestamp, email: z.string().nullable(), name: z.string().nullable() }),
);
export const StaffLinkRedeemed = responseSchema('StaffLinkRedeemed', z.object({ purpose: z.enum(STAFF_LINK_PURPOSES), staff: StaffMember, detail: z.string() }));

/** Mirrors sessionResource(). */
export const StaffSession = responseSchema(
  'StaffSession',
  z.object({
    id: uuid,
    staff_member_id: uuid,
    method: z.string().describe('`password` or `sso`.'),
    created_at: timestamp,
    last_seen_at: timestamp,
    idle_expires_at: timestamp,
    expires_at: timestamp,
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    current: z.boolean().describe('The session making this request.'),
  }),
);
export const StaffSessionList = responseSchema('StaffSessionList', z.object({ data: z.array(StaffSession) }), 'Live sessions, newest first.');
export const SessionsEnded = responseSchema('SessionsEnded', z.object({ sessions_ended: z.number().int() }));
export const TwoFactorEnrolment = responseSchema(
  'TwoFactorEnrolment',
  z.object({ secret: z.string().describe('Base32 TOTP secret, shown once.'), otpauth_uri: z.string().describe('For the authenticator app\'s QR code.') }),
);
export const TwoFactorEnabled = responseSchema('TwoFactorEnabled', z.object({ two_factor_enabled: z.literal(true), recovery_codes: z.array(z.string()).describe('Ten single-use codes, shown once.') }));
export const RecoveryCodes = responseSchema('RecoveryCodes', z.object({ recovery_codes: z.array(z.string()) }));

/** Mirrors apiTokenResource(). */
export const ApiToken = responseSchema(
  'ApiToken',
  z.object({
    id: uuid,
    name: z.string(),
    hint: z.string().nullable().describe('`kwa_…` and the last four characters.'),
    scopes: z.array(Scope),
    staff_member_id: uuid.nullable(),
    service: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: timestamp,
    last_used_at: timestamp.nullable(),
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    revoked_by: z.string().nullable(),
  }),
);
export const ApiTokenPage = page('ApiTokenPage', ApiToken);
export const CreatedApiToken = responseSchema('CreatedApiToken', ApiToken.extend({ token: z.string().describe('The token (`kwa_…`): shown once, never again.') }));
export const IdentitySettings = responseSchema('IdentitySettings', z.object({ require_two_factor: z.boolean() }));

/** Mirrors auditEventResource(). */
export const AuditTrailEvent = responseSchema(
  'AuditTrailEvent',
  z.object({
    id: uuid,
    actor: z.string(),
    actor_label: z.string().nullable(),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string().nullable(),
    license_id: uuid.nullable(),
    reason: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: timestamp,
  }),
  'One change: who, what, to what, why, from where, and the state before and after.',
);
export const AuditTrailEventPage = page('AuditTrailEventPage', AuditTrailEvent);
