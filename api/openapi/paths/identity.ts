import { header, locationHeader, operation } from '../operation.ts';
import {
  Accepted, ApiToken, ApiTokenPage, apiTokenListQuery, AuditTrailEventPage, auditEventQuery, ChangePasswordRequest, ConfirmTwoFactorRequest, CreateApiTokenRequest,
  CreatedApiToken, IdentitySettings, InspectStaffLinkRequest, InvitedStaffMember, InviteStaffRequest, PasswordConfirmationRequest, PasswordResetRequest,
  RecoveryCodes, RedeemStaffLinkRequest, ResetTwoFactorRequest, returnToQuery, revokeApiTokenQuery, SessionsEnded, SignedInSession, SignInMethods,
  SignInRequest, StaffLinkInfo, StaffLinkRedeemed, StaffLinkSent, StaffMember, StaffMemberPage, staffListQuery, StaffSessionList, TwoFactorEnabled,
  TwoFactorEnrolment, UpdateMeRequest, UpdateSettingsRequest, UpdateStaffRequest, endSessionQuery, SignOutEverywhereRequest,
} from '../schemas/identity.ts';

const LINK_PROBLEMS = ['LINK_INVALID', 'LINK_EXPIRED', 'LINK_ALREADY_USED'] as const;
const id = { id: 'The staff member id.' };
const noStore = { 'Cache-Control': header('`no-store`: the answer carries a secret shown once.') };

/** Signing in, sessions, one-time links and single sign-on (api/sessions/, api/sso/). */
const sessionPaths = {
  '/v1/sign-in-methods': {
    get: operation({ tag: 'sessions', operationId: 'getSignInMethods', summary: 'How staff can sign in', scope: null, responses: { 200: { description: 'The methods.', schema: SignInMethods } } }),
  },
  '/v1/sessions': {
    post: operation({
      tag: 'sessions', operationId: 'signIn', summary: 'Sign in (start a browser session)', scope: null,
      description: 'Sets the `kw_staff_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure when PUBLIC_URL is https) for a new session, and ends the one the browser held. Wrong e-mail and wrong password answer alike; failures count per account and per IP, and too many lock sign-in for a while (SIGN_IN_LOCKED, with Retry-After). A request with an Origin other than PUBLIC_URL\'s is refused.',
      body: { schema: SignInRequest, required: true },
      responses: { 201: { description: 'Signed in.', schema: SignedInSession, headers: { 'Set-Cookie': header('The session cookie.') } } },
      problems: ['INVALID_CREDENTIALS', 'TWO_FACTOR_REQUIRED', 'INVALID_TWO_FACTOR_CODE', 'ACCOUNT_DISABLED', 'CROSS_ORIGIN_REQUEST', 'SIGN_IN_LOCKED'],
    }),
  },
  '/v1/sessions/current': {
    get: operation({ tag: 'sessions', operationId: 'getCurrentSession', summary: 'The current session (and its CSRF token)', scope: null, responses: { 200: { description: 'The session.', schema: SignedInSession } } }),
    delete: operation({ tag: 'sessions', operationId: 'signOut', summary: 'Sign out', scope: null, responses: { 204: { description: 'Signed out; the cookie is cleared.' } } }),
  },
  '/v1/sessions/{id}': {
    delete: operation({
      tag: 'sessions', operationId: 'revokeSession', summary: 'End any staff session', scope: 'staff:write', pathParams: { id: 'The session id.' }, query: endSessionQuery,
      responses: { 204: { description: 'Ended.' } }, problems: ['SESSION_NOT_FOUND'],
    }),
  },
  '/v1/password-resets': {
    post: operation({
      tag: 'sessions', operationId: 'requestPasswordReset', summary: 'E-mail a password-reset link', scope: null,
      description: 'The same answer whether or not the e-mail belongs to an active member; the link (one hour, single use) is only ever e-mailed. Counts against the IP\'s sign-in budget.',
      body: { schema: PasswordResetRequest, required: true },
      responses: { 202: { description: 'Accepted.', schema: Accepted } }, problems: ['SIGN_IN_LOCKED'],
    }),
  },
  '/v1/staff-links/inspect': {
    post: operation({
      tag: 'sessions', operationId: 'inspectStaffLink', summary: 'What a one-time link is for', scope: null,
      body: { schema: InspectStaffLinkRequest, required: true }, responses: { 200: { description: 'The link.', schema: StaffLinkInfo } }, problems: [...LINK_PROBLEMS],
    }),
  },
  '/v1/staff-links/redeem': {
    post: operation({
      tag: 'sessions', operationId: 'redeemStaffLink', summary: 'Use a one-time link: set up the first owner, accept an invitation, reset a password', scope: null,
      description: 'Sets the password (checked against the length floor and the common-password list). A reset ends every session of the member. Sign in afterwards.',
      body: { schema: RedeemStaffLinkRequest, required: true },
      responses: { 200: { description: 'Done.', schema: StaffLinkRedeemed } },
      problems: [...LINK_PROBLEMS, 'WEAK_PASSWORD', 'ACCOUNT_DISABLED', 'SETUP_ALREADY_DONE', 'CROSS_ORIGIN_REQUEST'],
    }),
  },
  '/v1/sso/oidc/start': {
    get: operation({
      tag: 'sessions', operationId: 'startSingleSignOn', summary: 'Sign in with the identity provider (browser redirect)', scope: null, query: returnToQuery,
      responses: { 302: { description: 'To the identity provider (PKCE, state and nonce; a sealed flow cookie).', headers: locationHeader } },
      problems: ['SSO_NOT_CONFIGURED', 'SSO_FAILED'],
    }),
  },
  '/v1/sso/oidc/callback': {
    get: operation({
      tag: 'sessions', operationId: 'finishSingleSignOn', summary: 'The identity provider\'s redirect back', scope: null,
      description: 'Signed in: back to `return_to` with the session cookie set. Refused (no rule matches the claims, a disabled account, a failed check): back to `return_to` with `sso_error=<code>`.',
      responses: { 303: { description: 'Back to the console.', headers: locationHeader } },
      problems: ['SSO_NOT_CONFIGURED', 'SSO_FAILED'],
    }),
  },
};

/** The signed-in member's own account (api/staff/me.routes.ts). */
const accountPaths = {
  '/v1/me': {
    get: operation({ tag: 'account', operationId: 'getMe', summary: 'Your account', scope: null, responses: { 200: { description: 'You.', schema: StaffMember } } }),
    patch: operation({ tag: 'account', operationId: 'updateMe', summary: 'Change your name', scope: null, body: { schema: UpdateMeRequest, required: true }, responses: { 200: { description: 'You.', schema: StaffMember } } }),
  },
  '/v1/me/password': {
    post: operation({
      tag: 'account', operationId: 'changePassword', summary: 'Change your password (ends your other sessions)', scope: null,
      body: { schema: ChangePasswordRequest, required: true }, responses: { 204: { description: 'Changed.' } }, problems: ['INVALID_CREDENTIALS', 'WEAK_PASSWORD'],
    }),
  },
  '/v1/me/sessions': {
    get: operation({ tag: 'account', operationId: 'listMySessions', summary: 'Your live sessions', scope: null, responses: { 200: { description: 'Newest first.', schema: StaffSessionList } } }),
  },
  '/v1/me/sessions/{id}': {
    delete: operation({
      tag: 'account', operationId: 'endMySession', summary: 'End one of your sessions', scope: null, pathParams: { id: 'The session id.' },
      responses: { 204: { description: 'Ended.' } }, problems: ['SESSION_NOT_FOUND'],
    }),
  },
  '/v1/me/sign-out-everywhere': {
    post: operation({ tag: 'account', operationId: 'signOutEverywhere', summary: 'End all your sessions, this one too', scope: null, responses: { 200: { description: 'Ended.', schema: SessionsEnded } } }),
  },
  '/v1/me/two-factor': {
    post: operation({
      tag: 'account', operationId: 'startTwoFactor', summary: 'Start two-factor enrolment (TOTP)', scope: null,
      responses: { 201: { description: 'Scan the URI, then confirm with a code.', schema: TwoFactorEnrolment, headers: noStore } }, problems: ['TWO_FACTOR_ALREADY_ENABLED'],
    }),
  },
  '/v1/me/two-factor/confirm': {
    post: operation({
      tag: 'account', operationId: 'confirmTwoFactor', summary: 'Confirm enrolment with a code; get recovery codes', scope: null,
      body: { schema: ConfirmTwoFactorRequest, required: true }, responses: { 200: { description: 'Two-factor is on.', schema: TwoFactorEnabled, headers: noStore } },
      problems: ['INVALID_TWO_FACTOR_CODE', 'TWO_FACTOR_ALREADY_ENABLED', 'TWO_FACTOR_NOT_STARTED'],
    }),
  },
  '/v1/me/two-factor/disable': {
    post: operation({
      tag: 'account', operationId: 'disableTwoFactor', summary: 'Turn two-factor off (password required)', scope: null,
      body: { schema: PasswordConfirmationRequest, required: true }, responses: { 200: { description: 'You.', schema: StaffMember } },
      problems: ['INVALID_CREDENTIALS', 'TWO_FACTOR_REQUIRED_BY_OWNER', 'TWO_FACTOR_NOT_ENABLED'],
    }),
  },
  '/v1/me/recovery-codes': {
    post: operation({
      tag: 'account', operationId: 'replaceRecoveryCodes', summary: 'New recovery codes (password required)', scope: null,
      body: { schema: PasswordConfirmationRequest, required: true }, responses: { 200: { description: 'Ten new codes; the old ones stop working.', schema: RecoveryCodes, headers: noStore } },
      problems: ['INVALID_CREDENTIALS', 'TWO_FACTOR_NOT_ENABLED'],
    }),
  },
};

/** Staff management, settings, tokens and the audit trail (api/staff/, api/tokens/, api/audit/). */
const staffPaths = {
  '/v1/staff': {
    get: operation({ tag: 'staff', operationId: 'listStaff', summary: 'List staff members', scope: 'staff:read', query: staffListQuery, responses: { 200: { description: 'One page.', schema: StaffMemberPage } } }),
    post: operation({
      tag: 'staff', operationId: 'inviteStaff', summary: 'Invite a staff member',
      description: 'Creates the member and a one-time invitation link (one hour): e-mailed through Customer.io when configured, otherwise answered in `invitation.link` for you to hand over (shown once).',
      scope: 'staff:write', body: { schema: InviteStaffRequest, required: true },
      responses: { 201: { description: 'Invited.', schema: InvitedStaffMember, headers: { ...locationHeader, ...noStore } } }, problems: ['STAFF_EMAIL_TAKEN'],
    }),
  },
  '/v1/staff/{id}': {
    get: operation({ tag: 'staff', operationId: 'getStaff', summary: 'Get a staff member', scope: 'staff:read', pathParams: id, responses: { 200: { description: 'The member.', schema: StaffMember } }, problems: ['STAFF_NOT_FOUND'] }),
    patch: operation({
      tag: 'staff', operationId: 'updateStaff', summary: 'Rename, change the role of, disable or enable a member', scope: 'staff:write', pathParams: id,
      description: 'Disabling ends the member\'s sessions and stops their tokens. The last active owner can be neither demoted nor disabled.',
      body: { schema: UpdateStaffRequest, required: true }, responses: { 200: { description: 'The member.', schema: StaffMember } }, problems: ['STAFF_NOT_FOUND', 'LAST_OWNER'],
    }),
  },
  '/v1/staff/{id}/invitation': {
    post: operation({
      tag: 'staff', operationId: 'resendInvitation', summary: 'A new invitation link (the old one stops working)', scope: 'staff:write', pathParams: id,
      responses: { 201: { description: 'Sent, or answered.', schema: StaffLinkSent, headers: noStore } }, problems: ['STAFF_NOT_FOUND', 'ACCOUNT_DISABLED'],
    }),
  },
  '/v1/staff/{id}/password-reset': {
    post: operation({
      tag: 'staff', operationId: 'sendPasswordReset', summary: 'A password-reset link for a member', scope: 'staff:write', pathParams: id,
      responses: { 201: { description: 'Sent, or answered.', schema: StaffLinkSent, headers: noStore } }, problems: ['STAFF_NOT_FOUND', 'ACCOUNT_DISABLED'],
    }),
  },
  '/v1/staff/{id}/two-factor/reset': {
    post: operation({
      tag: 'staff', operationId: 'resetTwoFactor', summary: 'Turn a member\'s two-factor off (lost authenticator)', scope: 'staff:write', pathParams: id,
      body: { schema: ResetTwoFactorRequest, required: true }, responses: { 200: { description: 'The member.', schema: StaffMember } }, problems: ['STAFF_NOT_FOUND', 'TWO_FACTOR_NOT_ENABLED'],
    }),
  },
  '/v1/staff/{id}/sessions': {
    get: operation({ tag: 'staff', operationId: 'listStaffSessions', summary: 'A member\'s live sessions', scope: 'staff:read', pathParams: id, responses: { 200: { description: 'Newest first.', schema: StaffSessionList } }, problems: ['STAFF_NOT_FOUND'] }),
  },
  '/v1/staff/{id}/sign-out-everywhere': {
    post: operation({
      tag: 'staff', operationId: 'signOutStaffEverywhere', summary: 'End all of a member\'s sessions', scope: 'staff:write', pathParams: id,
      body: { schema: SignOutEverywhereRequest, required: false },
      responses: { 200: { description: 'Ended.', schema: SessionsEnded } }, problems: ['STAFF_NOT_FOUND'],
    }),
  },
  '/v1/settings': {
    get: operation({ tag: 'staff', operationId: 'getSettings', summary: 'Identity settings', scope: 'staff:read', responses: { 200: { description: 'The settings.', schema: IdentitySettings } } }),
    patch: operation({
      tag: 'staff', operationId: 'updateSettings', summary: 'Change identity settings (require two-factor for everyone)', scope: 'settings:write',
      body: { schema: UpdateSettingsRequest, required: true }, responses: { 200: { description: 'The settings.', schema: IdentitySettings } },
    }),
  },
  '/v1/api-tokens': {
    get: operation({ tag: 'tokens', operationId: 'listApiTokens', summary: 'List API tokens', scope: 'tokens:read', query: apiTokenListQuery, responses: { 200: { description: 'One page.', schema: ApiTokenPage } } }),
    post: operation({
      tag: 'tokens', operationId: 'createApiToken', summary: 'Create an API token (shown once)', scope: 'tokens:write',
      description: 'A token belongs to a staff member (default: you; it never holds more than their role, and stops with their account) or to a named `service`. You cannot grant a scope you do not hold.',
      body: { schema: CreateApiTokenRequest, required: true },
      responses: { 201: { description: 'Created; `token` is shown only now.', schema: CreatedApiToken, headers: { ...locationHeader, ...noStore } } },
      problems: ['SCOPE_NOT_GRANTABLE', 'API_TOKEN_NAME_TAKEN', 'STAFF_NOT_FOUND', 'ACCOUNT_DISABLED'],
    }),
  },
  '/v1/api-tokens/{id}': {
    get: operation({ tag: 'tokens', operationId: 'getApiToken', summary: 'Get an API token', scope: 'tokens:read', pathParams: { id: 'The token id.' }, responses: { 200: { description: 'The token.', schema: ApiToken } }, problems: ['API_TOKEN_NOT_FOUND'] }),
    delete: operation({
      tag: 'tokens', operationId: 'revokeApiToken', summary: 'Revoke an API token', scope: 'tokens:write', pathParams: { id: 'The token id.' }, query: revokeApiTokenQuery,
      description: 'At once. The bootstrap token (ADMIN_TOKEN) can be revoked only once an active staff owner exists.',
      responses: { 200: { description: 'The revoked token.', schema: ApiToken } }, problems: ['API_TOKEN_NOT_FOUND', 'NO_STAFF_OWNER'],
    }),
  },
  '/v1/audit-events': {
    get: operation({
      tag: 'audit', operationId: 'listAuditEvents', summary: 'The audit trail', scope: 'audit:read', query: auditEventQuery,
      description: 'Newest first; filter by actor, target, action (or an action prefix ending in `.`) and time. Append-only: nothing can change or remove a row.',
      responses: { 200: { description: 'One page.', schema: AuditTrailEventPage } },
    }),
  },
};

export const identityPaths = { ...sessionPaths, ...accountPaths, ...staffPaths };
