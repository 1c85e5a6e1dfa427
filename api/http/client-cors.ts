import type { Context } from 'koa';
import type { CorsOrigins } from '../../lib/http-edge-settings.ts';

/** Response headers a page may read: the signature of a signed answer, and how long to wait after a 429. */
const EXPOSED = 'Keywarden-Signature, Retry-After';
/** Browsers cap how long they keep a preflight (Chromium: 2 h). */
const PREFLIGHT_MAX_AGE = '7200';

/**
 * CORS for the client endpoints, which the licensed software calls, also from browsers (plugins,
 * widgets, extensions). Their credential is the license key in the body: no cookie, no
 * Authorization header, so no `Access-Control-Allow-Credentials`, and any origin may read the
 * answers unless CLIENT_CORS_ORIGINS names the ones that may.
 *
 * Nothing is refused here: a request from another origin is answered as any other (CORS only
 * decides what a browser lets the page read), and its `Origin` header is left on the request for
 * the usage and abuse records. Synchronous and precomputed: this runs on every validation.
 */
export class ClientCors {
  readonly #any: boolean;
  readonly #origins: ReadonlySet<string>;

  constructor(origins: CorsOrigins) {
    this.#any = origins === '*';
    this.#origins = new Set(origins === '*' ? [] : origins);
  }

  /** The Access-Control-Allow-Origin for a request's Origin, or undefined when it may not read the answer. */
  #allowOrigin(origin: string | undefined): string | undefined {
    if (this.#any) return '*';
    return origin !== undefined && this.#origins.has(origin) ? origin : undefined;
  }

  /**
   * Headers of an answer. With any origin allowed they are the same for every request, so a
   * cached JWKS serves every page; with a list they depend on `Origin`, and say so (`Vary`).
   * A POST without `Origin` comes from no browser (browsers send it on every POST), and its
   * answer is never cached: it gets none, which keeps them off the licensed software's hot path.
   */
  answer(ctx: Context): void {
    const { req, res } = ctx;
    const origin = req.headers.origin;
    if (origin === undefined && req.method === 'POST') return;
    if (!this.#any) res.setHeader('Vary', 'Origin');
    const allow = this.#allowOrigin(origin);
    if (allow === undefined) return;
    res.setHeader('Access-Control-Allow-Origin', allow);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  }

  /**
   * Answers a preflight (OPTIONS with `Access-Control-Request-Method`) of the endpoint at
   * `methods`; returns false for any other request. An origin or method not allowed gets the
   * same 204 without the CORS headers, which the browser reads as a refusal.
   */
  preflight(ctx: Context, methods: readonly string[]): boolean {
    const requested = ctx.req.headers['access-control-request-method'];
    if (ctx.method !== 'OPTIONS' || requested === undefined) return false;
    ctx.status = 204;
    ctx.set('Allow', [...methods, 'OPTIONS'].join(', '));
    if (!this.#any) ctx.vary('Origin');
    const allow = this.#allowOrigin(ctx.get('Origin') || undefined);
    if (allow === undefined || !methods.includes(requested.toUpperCase())) return true;
    ctx.set('Access-Control-Allow-Origin', allow);
    ctx.set('Access-Control-Allow-Methods', methods.join(', '));
    // Keywarden-Client: the SDK's name and version, recorded with each usage event.
    ctx.set('Access-Control-Allow-Headers', 'Content-Type, Keywarden-Client');
    ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
    // Chromium's Private Network Access: a public page calling a Keywarden on a private network.
    if (ctx.get('Access-Control-Request-Private-Network') === 'true') ctx.set('Access-Control-Allow-Private-Network', 'true');
    return true;
  }
}
