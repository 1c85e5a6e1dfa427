import type { Context } from 'koa';
import type { CustomerActing } from '../../domain/portal/portal-deps.ts';
import type { SessionRecord } from '../../domain/sessions/session-store.ts';
import { Customer } from '../../schema/customer/customer.entity.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isWrite, type CookieSessions } from '../http/cookie-session.ts';
import { Problem } from '../http/problem.ts';
import { requestOrigin } from './principal.ts';

/** The signed-in customer of a portal route, established by the route guard. */
export interface CustomerPrincipal extends CustomerActing {
  name: string | null;
  session: { record: SessionRecord; token: string };
}

/**
 * Authenticates a portal route: the customer session cookie only (an API token or a staff
 * session is not a customer), live, and for a write from PUBLIC_URL's origin with the
 * session's CSRF token. A customer record that is gone ends the session.
 */
export async function authenticateCustomer(em: EntityManager, sessions: CookieSessions, ctx: Context, unauthorized: (detail: string) => Problem): Promise<CustomerPrincipal> {
  if (ctx.get('authorization')) throw unauthorized('the portal takes a customer\'s browser session, not an API token; sign in at /portal');
  const cookie = await sessions.lookup(ctx);
  if (!cookie) throw unauthorized('sign in to the portal first (POST /v1/portal/sign-in-links, then the link you receive)');
  const { found, token } = cookie;
  if (found.state !== 'ACTIVE') {
    sessions.clear(ctx);
    const why = { UNKNOWN: 'is unknown', REVOKED: 'was signed out', EXPIRED: 'reached its maximum age', IDLE_TIMEOUT: 'was idle for 30 minutes' }[found.state];
    throw new Problem('SESSION_EXPIRED', `your session ${why}; sign in again`);
  }
  if (isWrite(ctx.method)) {
    sessions.assertSameOrigin(ctx);
    sessions.assertCsrfToken(ctx, token);
  }
  const customer = await em.fork().findOne(Customer, { id: found.session.ownerId });
  if (!customer) {
    sessions.clear(ctx);
    throw new Problem('SESSION_EXPIRED', 'your customer record no longer exists; contact the seller');
  }
  await sessions.store.touch(found.session);
  return { customer: { id: customer.id, email: customer.email }, name: customer.name ?? null, origin: requestOrigin(ctx), session: { record: found.session, token } };
}

export function customerOf(ctx: Context): CustomerPrincipal {
  const principal = ctx.state.customer as CustomerPrincipal | undefined;
  if (!principal) throw new Error(`no customer on ${ctx.method} ${ctx._matchedRoute ?? ctx.path}: is the route's rule "customer"?`);
  return principal;
}
