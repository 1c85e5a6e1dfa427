import { LICENSE_FILE_MEDIA_TYPE } from '../../offline/license-file.ts';
import { renewQuery } from '../../portal/portal-requests.ts';
import { header, locationHeader, operation } from '../operation.ts';
import {
  PortalLicenseDetail,
  PortalLicenseFileRequest,
  PortalLicenseHistory,
  PortalKeyRotationRequest,
  PortalLicenseKey,
  PortalLicenseList,
  PortalRenewal,
  PortalRotatedKey,
  PortalSeatFreed,
  PortalSession,
  PortalSignInLinkAccepted,
  PortalSignInLinkRequest,
  PortalSignInMethods,
  PortalSignInRequest,
} from '../schemas/portal.ts';

const id = { id: 'The license id.' };
const tag = 'portal';

/** The customer portal (api/portal/): sign-in by e-mail link, and the customer's own licenses. */
export const portalPaths = {
  '/renew': {
    get: operation({
      tag, operationId: 'renew', summary: 'The reminder e-mails\' renewal link', scope: null, query: renewQuery,
      description: 'The default RENEWAL_URL_TEMPLATE (`$PUBLIC_URL/renew?license={license_id}`): leads into the portal\'s renewal page for that license (after signing in).',
      responses: { 302: { description: 'To the portal.', headers: locationHeader } },
      database: false,
    }),
  },
  '/v1/portal/sign-in-methods': {
    get: operation({ tag, operationId: 'getPortalSignInMethods', summary: 'How customers can sign in', scope: null, responses: { 200: { description: 'The methods.', schema: PortalSignInMethods } }, database: false }),
  },
  '/v1/portal/sign-in-links': {
    post: operation({
      tag, operationId: 'requestPortalSignInLink', summary: 'E-mail a one-time sign-in link', scope: null,
      description: 'E-mails a link valid for 15 minutes, usable once, to the customer with this e-mail (through Customer.io). The answer is the same whether or not the address belongs to a customer. At most 5 requests per address and 30 per IP address in 15 minutes (SIGN_IN_LOCKED).',
      body: { schema: PortalSignInLinkRequest, required: true },
      responses: { 202: { description: 'Accepted.', schema: PortalSignInLinkAccepted } },
      problems: ['SIGN_IN_LOCKED', 'EMAIL_SIGN_IN_UNAVAILABLE'],
    }),
  },
  '/v1/portal/sessions': {
    post: operation({
      tag, operationId: 'signInToPortal', summary: 'Sign in with the link\'s secret (start a customer session)', scope: null,
      description: 'Uses the link once and sets the `kw_customer_session` cookie (HttpOnly, SameSite=Strict): 30 minutes idle, 12 hours at most.',
      body: { schema: PortalSignInRequest, required: true },
      responses: { 201: { description: 'Signed in.', schema: PortalSession, headers: { 'Set-Cookie': header('The customer session cookie.') } } },
      problems: ['LINK_INVALID', 'LINK_EXPIRED', 'LINK_ALREADY_USED', 'CROSS_ORIGIN_REQUEST'],
    }),
  },
  '/v1/portal/session': {
    get: operation({ tag, operationId: 'getPortalSession', summary: 'The customer\'s session (and its CSRF token)', scope: null, responses: { 200: { description: 'The session.', schema: PortalSession } } }),
    delete: operation({ tag, operationId: 'signOutOfPortal', summary: 'Sign out', scope: null, responses: { 204: { description: 'Signed out; the cookie is cleared.' } } }),
  },
  '/v1/portal/licenses': {
    get: operation({ tag, operationId: 'listPortalLicenses', summary: 'Your licenses', scope: null, responses: { 200: { description: 'Newest first.', schema: PortalLicenseList } } }),
  },
  '/v1/portal/licenses/{id}': {
    get: operation({
      tag, operationId: 'getPortalLicense', summary: 'One of your licenses, with its machines', scope: null, pathParams: id,
      responses: { 200: { description: 'The license.', schema: PortalLicenseDetail } },
      problems: ['PORTAL_LICENSE_NOT_FOUND'],
    }),
  },
  '/v1/portal/licenses/{id}/history': {
    get: operation({
      tag, operationId: 'getPortalLicenseHistory', summary: 'What happened to one of your licenses', scope: null, pathParams: id,
      responses: { 200: { description: 'Newest first.', schema: PortalLicenseHistory } },
      problems: ['PORTAL_LICENSE_NOT_FOUND'],
    }),
  },
  '/v1/portal/licenses/{id}/machines/{activationId}/free': {
    post: operation({
      tag, operationId: 'freePortalSeat', summary: 'Free a machine\'s seat', scope: null, pathParams: { ...id, activationId: 'The machine (activation) id.' },
      description: 'Deactivates the machine, within the plan\'s cap on self-service deactivations per period (the same count as POST /v1/deactivate).',
      responses: { 200: { description: 'Freed.', schema: PortalSeatFreed } },
      problems: ['PORTAL_LICENSE_NOT_FOUND', 'ACTIVATION_NOT_FOUND', 'DEACTIVATION_LIMIT_REACHED'],
    }),
  },
  '/v1/portal/licenses/{id}/key': {
    post: operation({
      tag, operationId: 'revealPortalLicenseKey', summary: 'Show the license key', scope: null, pathParams: id,
      description: 'The key, on demand (a POST: audited, never cached).',
      responses: { 200: { description: 'The key.', schema: PortalLicenseKey } },
      problems: ['PORTAL_LICENSE_NOT_FOUND', 'KEY_NOT_AVAILABLE'],
    }),
  },
  '/v1/portal/licenses/{id}/rotate-key': {
    post: operation({
      tag, operationId: 'rotatePortalLicenseKey', summary: 'Replace a leaked key', scope: null, pathParams: id,
      description: 'Same license, new key: the old key stops at once (validation answers KEY_ROTATED), machines keep their seats, the new key is answered once and e-mailed. Audited as the customer.',
      body: { schema: PortalKeyRotationRequest, required: false },
      responses: { 200: { description: 'The new key.', schema: PortalRotatedKey } },
      problems: ['PORTAL_LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED'],
    }),
  },
  '/v1/portal/licenses/{id}/license-files': {
    post: operation({
      tag, operationId: 'downloadPortalLicenseFile', summary: 'A license file for an air-gapped machine', scope: null, pathParams: id,
      description: 'A license file (a signed offline token, 30 days or until the license ends) bound to the fingerprint typed, within the plan\'s `license_file_limit` per 30 days.',
      body: { schema: PortalLicenseFileRequest, required: true },
      responses: { 201: { description: 'The file (an attachment).', alternatives: { [LICENSE_FILE_MEDIA_TYPE]: { schema: { type: 'string', pattern: '^-----BEGIN KEYWARDEN LICENSE-----' } } } } },
      problems: ['PORTAL_LICENSE_NOT_FOUND', 'LICENSE_FILE_LIMIT_REACHED', 'LICENSE_NOT_ISSUABLE'],
    }),
  },
  '/v1/portal/licenses/{id}/renewal': {
    post: operation({
      tag, operationId: 'openPortalRenewal', summary: 'Renew or manage billing', scope: null, pathParams: id,
      description: 'For a license Stripe sold: a Stripe Billing Portal session\'s URL. Otherwise the seller\'s RENEWAL_URL_TEMPLATE; without one, RENEWAL_NOT_AVAILABLE.',
      responses: { 200: { description: 'Where to go.', schema: PortalRenewal } },
      problems: ['PORTAL_LICENSE_NOT_FOUND', 'RENEWAL_NOT_AVAILABLE', 'BILLING_UNAVAILABLE'],
    }),
  },
};
