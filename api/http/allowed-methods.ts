import type { Context, Middleware } from 'koa';
import { Problem } from './problem.ts';

/** What @koa/router leaves on the context: every route layer whose path matched, across all routers. */
interface MatchedLayers {
  matched?: { methods: string[] }[];
}

/**
 * The answer to a method the path's routes do not serve: OPTIONS gets 204 and `Allow`, anything
 * else 405 METHOD_NOT_ALLOWED with `Allow` (OPTIONS is always in it).
 */
export function answerUnservedMethod(ctx: Context, served: Iterable<string>): void {
  const allow = [...new Set([...served, 'OPTIONS'])].sort().join(', ');
  if (ctx.method === 'OPTIONS') {
    ctx.status = 204;
    ctx.set('Allow', allow);
    return;
  }
  throw new Problem('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`, { headers: { Allow: allow } });
}

/**
 * After the routers, reached only when no route took the request. On a path that exists,
 * any other method (PUT where only GET is served, or TRACE, QUERY, PROPFIND, which no route
 * serves) is answered 405 METHOD_NOT_ALLOWED with the `Allow` header, and OPTIONS with 204 and
 * `Allow`; both before authentication, as the answer says nothing about any resource. On a path
 * that does not exist it does nothing: the problem middleware answers ROUTE_NOT_FOUND. (A path
 * a route names outright is answered earlier, by authorize(): it is never another route's `:id`.)
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
    if (methods.size > 0) answerUnservedMethod(ctx, methods);
  };
}
