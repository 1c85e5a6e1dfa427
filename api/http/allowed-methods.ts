import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { Problem } from './problem.ts';

/** What @koa/router leaves on the context: every route layer whose path matched, across all routers. */
interface MatchedLayers {
  matched?: { methods: string[] }[];
}

/** The `Allow` header for a set of served methods: OPTIONS is always answered. */
const allowHeader = (methods: Iterable<string>) => [...new Set([...methods, 'OPTIONS'])].sort().join(', ');

function refuse(method: string, path: string, allow: string): never {
  throw new Problem('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${allow}`, { headers: { Allow: allow } });
}

/**
 * After the routers, reached only when no route took the request. On a path that exists,
 * any other method (PUT where only GET is served, or TRACE, QUERY, PROPFIND, which no route
 * serves) is answered 405 METHOD_NOT_ALLOWED with the `Allow` header, and OPTIONS with 204 and
 * `Allow`; both before authentication, as the answer says nothing about any resource. On a path
 * that does not exist it does nothing: the problem middleware answers ROUTE_NOT_FOUND.
 *
 * One place for every router, instead of each router's allowedMethods(), whose 501 for a
 * method it does not know reached the error middleware as an unexpected error.
 */
export function allowedMethods(): Middleware {
  return async (ctx, next) => {
    // Anything mounted after the app's routers (the bench's routes) still gets its turn.
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    const methods = new Set<string>();
    for (const layer of (ctx as MatchedLayers).matched ?? []) for (const method of layer.methods) methods.add(method);
    if (methods.size === 0) return;
    const allow = allowHeader(methods);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allow);
      return;
    }
    refuse(ctx.method, ctx.path, allow);
  };
}

/**
 * Before authentication and the routers: a path a route names outright (`/v1/licenses/search`,
 * `/v1/licenses/rotate-keys`) belongs to that route alone, so a method it does not serve is 405
 * with its own `Allow`, never a license id for a patterned route (`PATCH /v1/licenses/:id`).
 */
export function namedPathMethods(routers: Router[]): Middleware {
  const named = new Map<string, Set<string>>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const path = String(layer.path);
      if (!layer.methods.length || /[:*(]/.test(path)) continue;
      const methods = named.get(path) ?? new Set<string>();
      for (const method of layer.methods) methods.add(method);
      named.set(path, methods);
    }
  }
  return async (ctx, next) => {
    const methods = named.get(ctx.path) ?? named.get(ctx.path.replace(/\/$/, ''));
    if (!methods || methods.has(ctx.method)) return next();
    const allow = allowHeader(methods);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allow);
      return;
    }
    refuse(ctx.method, ctx.path, allow);
  };
}
