import type { Scope } from '../../lib/roles.ts';

/**
 * Who may call a route:
 * - `public`: anyone (health, the contract, sign-in and its links, SSO);
 * - `license-key`: the licensed software, authenticated by the key in the body;
 * - `stripe-signature`: Stripe, authenticated by the webhook signature;
 * - `session`: a signed-in staff member's own browser session (their account, sign-out);
 *   `duringEnrolment` lets a session that must first enrol a second factor call it;
 * - `scope`: a staff session or an API token holding the scope (`admin` holds every scope);
 * - `customer`: a signed-in customer's portal session (their own licenses only); staff
 *   sessions and API tokens are refused.
 */
export type RouteRule =
  | { access: 'public' }
  | { access: 'license-key' }
  | { access: 'stripe-signature' }
  | { access: 'session'; duringEnrolment?: boolean }
  | { access: 'scope'; scope: Scope; /** Public when this deployment setting is on. */ publicWhen?: 'metricsPublic' }
  | { access: 'customer' };

const PUBLIC: RouteRule = { access: 'public' };
const KEY: RouteRule = { access: 'license-key' };
const SESSION: RouteRule = { access: 'session' };
const ENROLMENT: RouteRule = { access: 'session', duringEnrolment: true };
const CUSTOMER: RouteRule = { access: 'customer' };
const scope = (needed: Scope): RouteRule => ({ access: 'scope', scope: needed });

/**
 * Every route the API registers (`METHOD /path` as the router spells it) and who may call it.
 * The one place access is decided: `authorize.ts` enforces it before any handler runs, a route
 * missing here is refused, and `test/api/route-rules.test.ts` fails the build for it and
 * drives every role and token through every rule.
 */
export const ROUTE_RULES: Record<string, RouteRule> = {
  // The licensed software.
  'POST /v1/validate': KEY,
  'POST /v1/activate': KEY,
  'POST /v1/deactivate': KEY,
  'POST /v1/heartbeat': KEY,
  // Service endpoints.
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /.well-known/jwks.json': PUBLIC,
  'GET /metrics': { access: 'scope', scope: 'licenses:read', publicWhen: 'metricsPublic' },
  'POST /v1/webhooks/stripe': { access: 'stripe-signature' },
  // Licenses.
  'POST /v1/licenses': scope('licenses:write'),
  'GET /v1/licenses': scope('licenses:read'),
  'GET /v1/licenses/:id': scope('licenses:read'),
  // A license's own terms (policy overrides, metadata): a custom deal, as creating one is.
  'PATCH /v1/licenses/:id': scope('licenses:write'),
  'GET /v1/licenses/:id/timeline': scope('licenses:read'),
  'POST /v1/licenses/:id/revoke': scope('licenses:revoke'),
  'POST /v1/licenses/:id/extend-trial': scope('licenses:lifecycle'),
  'POST /v1/licenses/:id/set-expiry': scope('licenses:lifecycle'),
  'POST /v1/licenses/:id/suspend': scope('licenses:lifecycle'),
  'POST /v1/licenses/:id/reinstate': scope('licenses:lifecycle'),
  'POST /v1/licenses/:id/renew': scope('licenses:renew'),
  'POST /v1/licenses/:id/change-plan': scope('licenses:change-plan'),
  'POST /v1/licenses/:id/activations/:activationId/deactivate': scope('seats:write'),
  // Key operations (a reset beyond the deactivation cap also needs `seats:override-cap`).
  'POST /v1/licenses/:id/rotate-key': scope('keys:rotate'),
  'POST /v1/licenses/rotate-keys': scope('keys:rotate-many'),
  'POST /v1/licenses/:id/resend-key': scope('keys:send'),
  'POST /v1/licenses/:id/reset-seats': scope('seats:write'),
  'POST /v1/licenses/:id/offline-tokens': scope('licenses:write'),
  'GET /v1/licenses/:id/offline-tokens': scope('licenses:read'),
  'GET /v1/licenses/:id/messages': scope('licenses:read'),
  'GET /v1/licenses/search': scope('licenses:read'),
  // A search by POST (a query holding a key stays out of URLs): a read all the same.
  'POST /v1/licenses/search': scope('licenses:read'),
  'GET /v1/licenses/:id/stripe-events': scope('licenses:read'),
  'GET /v1/licenses/:id/workflow': scope('licenses:read'),
  'GET /v1/messages': scope('licenses:read'),
  'GET /v1/messages/:id': scope('licenses:read'),
  'POST /v1/messages/:id/retry': scope('messages:retry'),
  'POST /v1/messages/:id/send-now': scope('messages:retry'),
  // Catalog and customers.
  'POST /v1/products': scope('catalog:write'),
  'GET /v1/products': scope('licenses:read'),
  'GET /v1/products/:id': scope('licenses:read'),
  'PATCH /v1/products/:id': scope('catalog:write'),
  'DELETE /v1/products/:id': scope('catalog:write'),
  'POST /v1/plans': scope('catalog:write'),
  'GET /v1/plans': scope('licenses:read'),
  'GET /v1/plans/:id': scope('licenses:read'),
  'PATCH /v1/plans/:id': scope('catalog:write'),
  'DELETE /v1/plans/:id': scope('catalog:write'),
  'POST /v1/customers': scope('customers:write'),
  'GET /v1/customers': scope('licenses:read'),
  'GET /v1/customers/:id': scope('licenses:read'),
  'PATCH /v1/customers/:id': scope('customers:write'),
  'DELETE /v1/customers/:id': scope('customers:write'),
  'GET /v1/customers/:id/notes': scope('licenses:read'),
  'POST /v1/customers/:id/notes': scope('customers:notes'),
  // Stripe and signing keys.
  'GET /v1/stripe/events': scope('licenses:read'),
  'POST /v1/stripe/events/:id/replay': scope('stripe:replay'),
  'GET /v1/signing-keys': scope('licenses:read'),
  'POST /v1/signing-keys/rotate': scope('signing-keys:write'),
  'POST /v1/signing-keys/:id/retire': scope('signing-keys:write'),
  // Signing in: sessions, one-time links, single sign-on.
  'GET /v1/sign-in-methods': PUBLIC,
  'POST /v1/sessions': PUBLIC,
  'GET /v1/sessions/current': ENROLMENT,
  'DELETE /v1/sessions/current': ENROLMENT,
  'DELETE /v1/sessions/:id': scope('staff:write'),
  'POST /v1/password-resets': PUBLIC,
  'POST /v1/staff-links/inspect': PUBLIC,
  'POST /v1/staff-links/redeem': PUBLIC,
  'GET /v1/sso/oidc/start': PUBLIC,
  'GET /v1/sso/oidc/callback': PUBLIC,
  // The signed-in member's own account.
  'GET /v1/me': ENROLMENT,
  'PATCH /v1/me': SESSION,
  'POST /v1/me/password': SESSION,
  'GET /v1/me/sessions': ENROLMENT,
  'DELETE /v1/me/sessions/:id': ENROLMENT,
  'POST /v1/me/sign-out-everywhere': ENROLMENT,
  'POST /v1/me/two-factor': ENROLMENT,
  'POST /v1/me/two-factor/confirm': ENROLMENT,
  'POST /v1/me/two-factor/disable': SESSION,
  'POST /v1/me/recovery-codes': SESSION,
  // Staff management.
  'GET /v1/staff': scope('staff:read'),
  'POST /v1/staff': scope('staff:write'),
  'GET /v1/staff/:id': scope('staff:read'),
  'PATCH /v1/staff/:id': scope('staff:write'),
  'POST /v1/staff/:id/invitation': scope('staff:write'),
  'POST /v1/staff/:id/password-reset': scope('staff:write'),
  'POST /v1/staff/:id/two-factor/reset': scope('staff:write'),
  'GET /v1/staff/:id/sessions': scope('staff:read'),
  'POST /v1/staff/:id/sign-out-everywhere': scope('staff:write'),
  // API tokens, settings, the audit trail.
  'GET /v1/api-tokens': scope('tokens:read'),
  'POST /v1/api-tokens': scope('tokens:write'),
  'GET /v1/api-tokens/:id': scope('tokens:read'),
  'DELETE /v1/api-tokens/:id': scope('tokens:write'),
  'GET /v1/settings': scope('staff:read'),
  'PATCH /v1/settings': scope('settings:write'),
  'GET /v1/audit-events': scope('audit:read'),
  // The customer portal: signing in by e-mail link, then the customer's own licenses.
  'GET /renew': PUBLIC,
  'GET /v1/portal/sign-in-methods': PUBLIC,
  'POST /v1/portal/sign-in-links': PUBLIC,
  'POST /v1/portal/sessions': PUBLIC,
  'GET /v1/portal/session': CUSTOMER,
  'DELETE /v1/portal/session': CUSTOMER,
  'GET /v1/portal/licenses': CUSTOMER,
  'GET /v1/portal/licenses/:id': CUSTOMER,
  'GET /v1/portal/licenses/:id/history': CUSTOMER,
  'POST /v1/portal/licenses/:id/machines/:activationId/free': CUSTOMER,
  'POST /v1/portal/licenses/:id/key': CUSTOMER,
  'POST /v1/portal/licenses/:id/rotate-key': CUSTOMER,
  'POST /v1/portal/licenses/:id/license-files': CUSTOMER,
  'POST /v1/portal/licenses/:id/renewal': CUSTOMER,
  // Abuse detection: alerts and each plan's thresholds and action.
  'GET /v1/abuse-alerts': scope('licenses:read'),
  'GET /v1/abuse-alerts/:id': scope('licenses:read'),
  'POST /v1/abuse-alerts/:id/dismiss': scope('licenses:lifecycle'),
  'GET /v1/abuse-policies/:id': scope('licenses:read'),
  'PUT /v1/abuse-policies/:id': scope('catalog:write'),
  // Reports (finance, ops and every read-only role).
  'GET /v1/reports/utilization': scope('reports:read'),
  'GET /v1/reports/seat-trend': scope('reports:read'),
  'GET /v1/reports/renewal-cohorts': scope('reports:read'),
  'GET /v1/reports/revenue-leakage': scope('reports:read'),
  'GET /v1/reports/licensing-metrics': scope('reports:read'),
  // Bulk operations: running one (a preview too) needs licenses:bulk, and the operation's own scope (checked by the route).
  'POST /v1/bulk-operations': scope('licenses:bulk'),
  'GET /v1/bulk-operations': scope('licenses:read'),
  'GET /v1/bulk-operations/:id': scope('licenses:read'),
  'POST /v1/bulk-operations/:id/cancel': scope('licenses:bulk'),
  'GET /v1/bulk-operations/:id/results.csv': scope('licenses:read'),
};

/** The rule of a route, by method (HEAD as GET) and the router's path. */
export function ruleFor(method: string, path: string): RouteRule | undefined {
  return ROUTE_RULES[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}
