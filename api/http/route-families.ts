import type { Context, Middleware, Next } from 'koa';
import helmet from 'koa-helmet';
import type { CorsOrigins } from '../../lib/http-edge-settings.ts';
import { ClientCors } from './client-cors.ts';

/**
 * The client endpoints, with the methods each serves: called by the licensed software, from
 * any network and from browsers. Their answers carry no secret (the key is in the request).
 * (The bench adds its no-op, which it compares them with.)
 */
export const CLIENT_ENDPOINTS = new Map<string, readonly string[]>([
  ['/v1/validate', ['POST']],
  ['/v1/activate', ['POST']],
  ['/v1/deactivate', ['POST']],
  ['/v1/heartbeat', ['POST']],
  ['/.well-known/jwks.json', ['GET', 'HEAD']],
]);

/** The router matches paths case-insensitively and with a trailing slash; so does the family look-up. */
function clientEndpoint(path: string): readonly string[] | undefined {
  return CLIENT_ENDPOINTS.get(path) ?? CLIENT_ENDPOINTS.get(path.toLowerCase().replace(/\/+$/, ''));
}

/**
 * Every other answer of the API (admin endpoints, the Stripe webhook, health, the contract,
 * metrics, problems for unknown paths): JSON for programs and for the admin console's fetches,
 * never a page. Helmet's defaults, with a Content-Security-Policy that allows nothing at all
 * (`default-src 'none'`, and `frame-ancestors 'none'`: no page may frame an answer), no referrer,
 * and no HSTS (the TLS-terminating proxy owns that). `Cache-Control: no-store`: these answers are
 * private (customers, licenses) and some carry a secret shown once (a new license's key, an
 * offline token); on every answer of the family, a new route cannot forget it. The web console,
 * served later under /admin, gets a family of its own with the policy its pages need.
 */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: false,
});

function apiFamily(ctx: Context, next: Next) {
  ctx.res.setHeader('Cache-Control', 'no-store');
  return apiHeaders(ctx, next);
}

/**
 * Security headers by route family, set before the request is handled (so problems carry them
 * too). The client family is the hot path: its few headers are set directly, with no promise
 * and no per-request work (helmet's dozen headers and its promise cost a cache hit measurably);
 * `X-Content-Type-Options: nosniff` goes on every answer of every family.
 */
export function routeFamilies(options: { clientCorsOrigins?: CorsOrigins } = {}): Middleware {
  const cors = new ClientCors(options.clientCorsOrigins ?? '*');
  // Named: the bench finds it to measure an app without it beside the real one.
  return function routeFamily(ctx, next) {
    const methods = clientEndpoint(ctx.path);
    if (methods === undefined) return apiFamily(ctx, next);
    ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
    if (cors.preflight(ctx, methods)) return;
    cors.answer(ctx);
    return next();
  };
}
