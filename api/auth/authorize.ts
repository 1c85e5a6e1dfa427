import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { authenticateApiToken } from '../../domain/tokens/authenticate-api-token.ts';
import { readIdentitySettings } from '../../domain/staff/identity-settings.ts';
import { grants, ROLE_SCOPES } from '../../lib/roles.ts';
import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { isWrite, type CookieSessions } from '../http/cookie-session.ts';
import { answerUnservedMethod } from '../http/allowed-methods.ts';
import { Problem } from '../http/problem.ts';
import { requestOrigin, type Principal } from './principal.ts';
import { ruleFor, type RouteRule } from './route-rules.ts';
import { authenticateCustomer } from './customer-principal.ts';

export interface AuthorizeDeps {
  em: EntityManager;
  secret: ServerSecret;
  staffSessions: CookieSessions;
  /** The customer portal's sessions (its `customer` routes); none: those routes refuse everyone. */
  customerSessions?: CookieSessions;
  metricsPublic?: boolean;
}

/** A registered route (one router layer) and its rule; `rule` undefined: the route has none (refused). */
interface GuardedRoute {
  matches(path: string): boolean;
  methods: Set<string>;
  rule: RouteRule | undefined;
  path: string;
}

/**
 * The index of the app's routes, in the order the routers try them: static paths by exact
 * match (the client endpoints answer without a scan), the rest by the routers' own matchers,
 * among the routes of the same first two segments (a path no route has costs two look-ups).
 */
/** `/v1/licenses/:id/revoke` → `/v1/licenses`: patterned routes are looked up by their first two segments. */
const stem = (path: string) => {
  const second = path.indexOf('/', path.indexOf('/', 1) + 1);
  return second === -1 ? path : path.slice(0, second);
};

function indexRoutes(routers: Router[]) {
  const exact = new Map<string, GuardedRoute>();
  /** The methods of each path a route names outright (`/v1/licenses/search`): only those reach it. */
  const named = new Map<string, Set<string>>();
  const patterned = new Map<string, GuardedRoute[]>();
  /** Patterns whose stem itself has a parameter: tried for every path (none today). */
  const anywhere: GuardedRoute[] = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      if (!layer.methods.length) continue;
      const path = String(layer.path);
      for (const method of layer.methods) {
        const route: GuardedRoute = { matches: (p) => layer.match(p), methods: new Set(layer.methods), rule: ruleFor(method, path), path };
        if (!/[:*(]/.test(path)) {
          const key = `${method} ${path}`;
          if (!exact.has(key)) exact.set(key, route);
          named.set(path, (named.get(path) ?? new Set()).add(method));
        } else if (method !== 'HEAD') {
          const guarded = { ...route, methods: new Set([method, ...(method === 'GET' ? ['HEAD'] : [])]) };
          const key = stem(path);
          if (/[:*(]/.test(key)) anywhere.push(guarded);
          else patterned.set(key, [...(patterned.get(key) ?? []), guarded]);
        }
      }
    }
  }
  return (method: string, path: string): GuardedRoute | { namedFor: Set<string> } | undefined => {
    const hit = exact.get(`${method} ${path}`) ?? exact.get(`${method} ${path.replace(/\/$/, '')}`);
    if (hit) return hit;
    // A named path is its route's alone: PATCH /v1/licenses/search is not a license id.
    const namedFor = named.get(path) ?? named.get(path.replace(/\/$/, ''));
    if (namedFor) return { namedFor };
    const candidates = patterned.get(stem(path));
    return (candidates ?? anywhere).find((route) => route.methods.has(method) && route.matches(path)) ?? (candidates ? anywhere.find((route) => route.methods.has(method) && route.matches(path)) : undefined);
  };
}

const unauthorized = (detail: string) =>
  new Problem('UNAUTHORIZED', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="keywarden-admin"' } });

/**
 * The one access check: runs before the routers, finds the route a request will reach and
 * applies its rule from the route table. Admin routes take an API token (`Authorization:
 * Bearer kwa_…`) or a staff session cookie; a cookie-authenticated write must also pass the
 * CSRF checks. A registered route without a rule is refused (and fails the build's test).
 */
export function authorize(deps: AuthorizeDeps, routers: Router[]): Middleware {
  const find = indexRoutes(routers);
  return async (ctx: Context, next: Next) => {
    const route = find(ctx.method, ctx.path);
    if (!route) return next();
    // Before authentication, as allowedMethods() answers: the answer says nothing about a resource.
    if ('namedFor' in route) return answerUnservedMethod(ctx, route.namedFor);
    const rule = route.rule;
    if (!rule) throw new Problem('FORBIDDEN', `${ctx.method} ${route.path} has no access rule`);
    switch (rule.access) {
      case 'public':
      case 'license-key':
      case 'stripe-signature':
        return next();
      case 'scope':
        if (rule.publicWhen === 'metricsPublic' && deps.metricsPublic) return next();
        break;
      case 'customer':
        if (!deps.customerSessions) throw unauthorized('the customer portal is not served by this app');
        ctx.state.customer = await authenticateCustomer(deps.em, deps.customerSessions, ctx, unauthorized);
        return next();
    }
    const principal = await authenticate(deps, ctx, rule);
    if (rule.access === 'session') {
      if (principal.kind !== 'session') throw new Problem('FORBIDDEN', 'this endpoint is for a signed-in staff member\'s browser session, not an API token');
      if (principal.session!.restricted && !rule.duringEnrolment) throw enrolmentRequired();
    } else {
      if (principal.session?.restricted) throw enrolmentRequired();
      if (!grants(principal.scopes, rule.scope)) {
        throw new Problem('FORBIDDEN', principal.kind === 'session' ? `the ${principal.staff!.role} role lacks the "${rule.scope}" scope` : `this token lacks the "${rule.scope}" scope`);
      }
    }
    ctx.state.principal = principal;
    return next();
  };
}

const enrolmentRequired = () => new Problem('TWO_FACTOR_ENROLMENT_REQUIRED', 'owners require two-factor sign-in: enrol an authenticator (POST /v1/me/two-factor) before anything else');

async function authenticate(deps: AuthorizeDeps, ctx: Context, rule: RouteRule): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  if (bearer) return tokenPrincipal(deps, ctx, bearer[1]!);
  if (ctx.get('authorization')) throw unauthorized('send an admin API token as "Authorization: Bearer <token>"');
  const cookie = await deps.staffSessions.lookup(ctx);
  if (!cookie) {
    throw unauthorized(rule.access === 'session' ? 'sign in first (POST /v1/sessions)' : 'send an admin API token as "Authorization: Bearer <token>", or sign in (POST /v1/sessions)');
  }
  const { found, token } = cookie;
  if (found.state !== 'ACTIVE') {
    deps.staffSessions.clear(ctx);
    const why = { UNKNOWN: 'is unknown', REVOKED: 'was signed out', EXPIRED: 'reached its maximum age', IDLE_TIMEOUT: 'was idle too long' }[found.state];
    throw new Problem('SESSION_EXPIRED', `the session ${why}; sign in again`);
  }
  // CSRF first: a forged cross-site write learns nothing, not even whether the session is live.
  if (isWrite(ctx.method)) {
    deps.staffSessions.assertSameOrigin(ctx);
    deps.staffSessions.assertCsrfToken(ctx, token);
  }
  const em = deps.em.fork();
  const member = await em.findOne(StaffMember, { id: found.session.ownerId });
  if (!member || member.status !== 'ACTIVE') {
    deps.staffSessions.clear(ctx);
    throw new Problem('ACCOUNT_DISABLED', 'this staff account is disabled');
  }
  await deps.staffSessions.store.touch(found.session);
  const settings = await readIdentitySettings(em);
  const restricted = settings.requireTwoFactor && !member.totpEnabledAt && found.session.extra.method !== 'sso';
  return {
    kind: 'session',
    scopes: restricted ? [] : ROLE_SCOPES[member.role],
    staff: { id: member.id, email: member.email, name: member.name, role: member.role },
    auditActor: { type: 'staff', id: member.id, label: member.email },
    actor: `staff:${member.email}`,
    origin: requestOrigin(ctx),
    session: { record: found.session, token, restricted },
  };
}

async function tokenPrincipal(deps: AuthorizeDeps, ctx: Context, raw: string): Promise<Principal> {
  const result = await authenticateApiToken(deps.em, deps.secret, raw);
  if (!result.ok) {
    const detail = { UNKNOWN: 'the API token is unknown or revoked', EXPIRED: 'the API token has expired', OWNER_DISABLED: 'the API token\'s staff member is disabled' }[result.reason];
    throw new Problem('UNAUTHORIZED', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="keywarden-admin", error="invalid_token"' } });
  }
  const { token, owner } = result;
  return {
    kind: 'token',
    scopes: result.scopes,
    staff: owner ? { id: owner.id, email: owner.email, name: owner.name, role: owner.role } : null,
    auditActor: { type: 'token', id: token.id, label: token.name },
    actor: `admin:${token.name}`,
    origin: requestOrigin(ctx),
    token: { id: token.id, name: token.name },
  };
}
