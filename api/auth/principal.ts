import type { Context } from 'koa';
import type { AuditActor, RequestOrigin } from '../../domain/audit/audit-actor.ts';
import type { Role, Scope } from '../../lib/roles.ts';
import type { SessionRecord } from '../../domain/sessions/session-store.ts';

/** The staff member behind a request: the session's, or the API token's owner. */
export interface PrincipalStaff {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/**
 * Who is calling an admin route, established once by the route guard (`authorize.ts`):
 * a staff member's browser session, or an API token (a staff member's or a service's).
 */
export interface Principal {
  kind: 'session' | 'token';
  /** The scopes this request holds: the role's, or the token's (never beyond its owner's role). */
  scopes: readonly Scope[];
  staff: PrincipalStaff | null;
  /** How the audit trail records this caller. */
  auditActor: AuditActor;
  /** The license trail's actor string (`staff:<email>`, `admin:<token name>`), carried by workflow updates. */
  actor: string;
  origin: RequestOrigin;
  session?: { record: SessionRecord; token: string; restricted: boolean };
  token?: { id: string; name: string };
}

/** The principal of a guarded route (the guard has run: a route without one is refused before this). */
export function principalOf(ctx: Context): Principal {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal) throw new Error(`no principal on ${ctx.method} ${ctx._matchedRoute ?? ctx.path}: is the route's rule public?`);
  return principal;
}

export const requestOrigin = (ctx: Context): RequestOrigin => ({ ip: ctx.ip || null, userAgent: ctx.get('user-agent') || null });
