import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import { createApp } from '../../api/app.ts';
import { authorize } from '../../api/auth/authorize.ts';
import { identityServices } from '../../api/auth/identity-services.ts';
import { ROUTE_RULES, ruleFor, type RouteRule } from '../../api/auth/route-rules.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { problemMiddleware } from '../../api/http/problem.ts';
import { grants, ROLE_SCOPES, ROLES, type Role } from '../../lib/roles.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { Browser, createStaff } from '../support/staff.ts';
import { testLogger } from '../support/temporal.ts';

/** `METHOD /path` of every route the app registers, as the routers spell them. */
function registeredRoutes(app: Koa): string[] {
  const routers = app.middleware.map((middleware) => (middleware as { router?: Router }).router).filter((router): router is Router => Boolean(router));
  return [...new Set(routers.flatMap((router) => router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => `${method} ${String(layer.path)}`))))];
}

/** A concrete path for a route's pattern: unknown ids, so no handler finds anything to change. */
const concrete = (path: string) => path.replace(/:activationId/g, randomUUID()).replace(/:id/g, path.startsWith('/v1/stripe') ? 'evt_unknown' : randomUUID());

/** Routes that end the session calling them: the matrix signs in again after each. */
const ENDS_SESSION = new Set(['DELETE /v1/sessions/current', 'POST /v1/me/sign-out-everywhere']);

describe('the route table: every route has a rule, and every role gets exactly what the table says', () => {
  let stack: ApiStack;
  let routes: string[];

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
    const app = createApp({ em: stack.db.orm.em, lifecycle: stack.lifecycle, secret: stack.secret, logger: testLogger, cache: stack.cache, rateLimiter: new ClientRateLimiter() });
    routes = registeredRoutes(app);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('has a rule for every route the app registers, and no rule for a route that does not exist', () => {
    expect(routes.length).toBeGreaterThan(80);
    expect(routes.filter((route) => !ROUTE_RULES[route])).toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('refuses a registered route that has no rule, before its handler runs', async () => {
    const router = new Router();
    let ran = false;
    router.post('/v1/unruled', (ctx) => {
      ran = true;
      ctx.body = {};
    });
    const app = new Koa();
    app.use(problemMiddleware(testLogger));
    const services = identityServices({ em: stack.db.orm.em, secret: stack.secret, logger: testLogger });
    app.use(authorize({ em: stack.db.orm.em, secret: stack.secret, staffSessions: services.staffSessions }, [router]));
    app.use(router.routes());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const answer = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/v1/unruled`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}` } });
      expect([answer.status, ((await answer.json()) as { code: string }).code, ran]).toEqual([403, 'FORBIDDEN', false]);
    } finally {
      server.close();
    }
  });

  it('gives each role, by session and by its own token, exactly the routes its scopes allow', async () => {
    /** Whether a role may call a route with this credential, by the table. */
    const allowed = (rule: RouteRule, role: Role, credential: 'session' | 'token') => {
      if (rule.access === 'scope') return grants(ROLE_SCOPES[role], rule.scope);
      if (rule.access === 'session') return credential === 'session';
      // The portal's routes take a customer's session only: never staff, never a token.
      if (rule.access === 'customer') return false;
      return true;
    };
    const mismatches: string[] = [];
    for (const role of ROLES) {
      const account = await createStaff(stack, role);
      const browser = new Browser(stack);
      await browser.signIn(account.email, account.password);
      const scopes = [...ROLE_SCOPES[role]];
      const minted = await stack.request('POST', '/v1/api-tokens', { body: { name: `matrix-${role}`, scopes, staff_id: account.id } });
      expect(minted.status).toBe(201);
      for (const route of routes) {
        const rule = ruleFor(route.split(' ')[0]!, route.split(' ')[1]!)!;
        const [method, pattern] = route.split(' ') as [string, string];
        const path = concrete(pattern);
        const bySession = await browser.request(method, path, { body: method === 'GET' ? undefined : {} });
        if (ENDS_SESSION.has(route) && bySession.status < 300) await browser.signIn(account.email, account.password);
        const byToken = await stack.request(method, path, { token: minted.body.token, body: method === 'GET' ? undefined : {} });
        for (const [credential, answer] of [['session', bySession], ['token', byToken]] as const) {
          const refused = answer.status === 401 || answer.status === 403;
          // A 403 the table did not cause (e.g. SCOPE_NOT_GRANTABLE) would still be a refusal: none of these calls reach one.
          if (refused === allowed(rule, role, credential)) mismatches.push(`${role} ${credential} ${route}: ${answer.status} ${answer.body?.code ?? ''}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses every guarded route without credentials, and lets the public ones through', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const rule = ruleFor(method, pattern)!;
      const answer = await stack.request(method, concrete(pattern), { token: null, body: method === 'GET' ? undefined : {} });
      const guarded = rule.access === 'scope' || rule.access === 'session' || rule.access === 'customer';
      if ((answer.status === 401 && answer.body.code === 'UNAUTHORIZED') !== guarded) wrong.push(`${route}: ${answer.status} ${answer.body?.code}`);
    }
    expect(wrong).toEqual([]);
  });
});
