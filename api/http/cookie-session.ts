import type { Context } from 'koa';
import type { SessionLookup, SessionRecord, SessionStore } from '../../domain/sessions/session-store.ts';
import { Problem } from './problem.ts';

/**
 * Browser-session mechanics shared by the staff console and the customer portal, each with its
 * own cookie name and session table: the cookie (HttpOnly, SameSite=Strict, Path=/, Secure
 * whenever PUBLIC_URL is https), reading it back, and the CSRF rules for cookie-authenticated
 * writes (the request's Origin must be PUBLIC_URL's, and `X-CSRF-Token` must carry the
 * session's token).
 */
export interface CookieSessionOptions {
  cookieName: string;
  store: SessionStore;
  /** PUBLIC_URL: its origin is the only one allowed to write with the cookie, its scheme decides `Secure`. */
  publicUrl: string;
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWrite = (method: string) => !SAFE_METHODS.has(method);

export class CookieSessions {
  readonly cookieName: string;
  readonly store: SessionStore;
  readonly origin: string;
  readonly #secure: boolean;

  constructor(options: CookieSessionOptions) {
    this.cookieName = options.cookieName;
    this.store = options.store;
    const url = new URL(options.publicUrl);
    this.origin = url.origin;
    this.#secure = url.protocol === 'https:';
  }

  /** The cookie's value, if the request carries it. */
  read(ctx: Context): string | undefined {
    const header = ctx.get('cookie');
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at).trim() === this.cookieName) {
        const value = part.slice(at + 1).trim();
        return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
      }
    }
    return undefined;
  }

  #write(ctx: Context, value: string, expires: Date) {
    const attributes = [`${this.cookieName}=${value}`, 'Path=/', `Expires=${expires.toUTCString()}`, 'HttpOnly', 'SameSite=Strict'];
    if (this.#secure) attributes.push('Secure');
    ctx.append('Set-Cookie', attributes.join('; '));
    // A response that sets or clears a session is never cached by anyone.
    ctx.set('Cache-Control', 'no-store');
  }

  /** Sets the cookie for a new session; it lasts as long as the session can (its absolute end). */
  issue(ctx: Context, token: string, session: SessionRecord): void {
    this.#write(ctx, token, session.expiresAt);
  }

  clear(ctx: Context): void {
    this.#write(ctx, '', new Date(0));
  }

  /** Looks the cookie's session up; `null` without a cookie. */
  async lookup(ctx: Context): Promise<{ token: string; found: SessionLookup } | null> {
    const token = this.read(ctx);
    if (!token) return null;
    return { token, found: await this.store.lookup(token) };
  }

  /**
   * Refuses a cookie-authenticated write from another origin: the browser's `Origin` (or, if a
   * browser sent none, `Referer`) must be PUBLIC_URL's origin. A request with neither is
   * refused too: every browser that sends cookies sends one of them on a write.
   */
  assertSameOrigin(ctx: Context): void {
    const origin = ctx.get('origin') || originOf(ctx.get('referer'));
    if (origin !== this.origin) {
      throw new Problem('CROSS_ORIGIN_REQUEST', origin ? `writes with a session cookie are accepted only from ${this.origin}, not ${origin}` : `a write with a session cookie must come from ${this.origin} (no Origin header)`);
    }
  }

  /** Refuses a cookie-authenticated write without the session's CSRF token in `X-CSRF-Token`. */
  assertCsrfToken(ctx: Context, token: string): void {
    const sent = ctx.get(CSRF_HEADER);
    if (!sent) throw new Problem('CSRF_TOKEN_INVALID', 'send the session\'s csrf_token in the X-CSRF-Token header');
    if (!this.store.csrfTokenMatches(token, sent)) throw new Problem('CSRF_TOKEN_INVALID', 'the X-CSRF-Token header does not match this session');
  }
}

function originOf(referer: string): string {
  try {
    return referer ? new URL(referer).origin : '';
  } catch {
    return '';
  }
}
