/**
 * Scopes and roles: the one definition of who may do what. A staff role is a fixed set of
 * scopes; an API token carries scopes of its own (never more than its creator holds). The
 * route table (`api/auth/route-rules.ts`) names the scope each route needs.
 */
export const SCOPES = [
  /** Every scope, present and future: the bootstrap token's, and tokens an owner makes for automation. */
  'admin',
  /** Read licenses, customers, the catalog, messages, Stripe events, offline-token logs, metrics. */
  'licenses:read',
  /** Create licenses, issue offline tokens. */
  'licenses:write',
  /** Extend trials, set expiry, suspend, reinstate. */
  'licenses:lifecycle',
  /** Renew a license's term by hand (a purchase order). */
  'licenses:renew',
  /** Move one license to another plan. */
  'licenses:change-plan',
  /** Revoke a license (terminal). */
  'licenses:revoke',
  /** Preview, run and cancel bulk operations (each also needs the scope of its one-license operation). */
  'licenses:bulk',
  /** Free a seat (deactivate a machine) regardless of the self-service cap. */
  'seats:write',
  /** Create, edit and delete products and plans. */
  'catalog:write',
  /** Create, edit and delete customers. */
  'customers:write',
  /** Add staff notes to a customer's account (the console's account view). */
  'customers:notes',
  /** Send an outbox message again whose delivery ended unsent (FAILED, NOT_SENT). */
  'messages:retry',
  /** Apply a stored Stripe event again. */
  'stripe:replay',
  /** Rotate and retire the signing keys. */
  'signing-keys:write',
  /** The staff directory: members, their roles and sessions. */
  'staff:read',
  /** Invite, edit, disable staff; change roles; reset passwords and two-factor; end others' sessions. */
  'staff:write',
  /** List API tokens (name, hint, scopes: never the secret). */
  'tokens:read',
  /** Create and revoke API tokens. */
  'tokens:write',
  /** Replace one license's key (a leaked key: same license, new key). */
  'keys:rotate',
  /** Replace the keys of many licenses at once (owners only). */
  'keys:rotate-many',
  /** E-mail a license's key to its customer again. */
  'keys:send',
  /** Reset a license's seats beyond the plan's deactivation cap, with a reason. */
  'seats:override-cap',
  /** Read the audit trail. */
  'audit:read',
  /** Change the identity settings (two-factor required for everyone). */
  'settings:write',
  /** Read the reports (utilization, seat trend, renewal cohorts, revenue leakage, licensing metrics). */
  'reports:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ['owner', 'admin', 'support', 'finance', 'read_only'] as const;
export type Role = (typeof ROLES)[number];

/** What every role may read. */
const READ: Scope[] = ['licenses:read', 'staff:read', 'tokens:read', 'audit:read', 'reports:read'];
/** Everything but `admin` (the wildcard), spelled out. */
const EVERY: Scope[] = SCOPES.filter((scope) => scope !== 'admin');
const OWNER_ONLY: Scope[] = ['staff:write', 'settings:write', 'keys:rotate-many'];

/** The fixed scopes of each role. Owners hold the wildcard: a scope added later is theirs too. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: ['admin', ...EVERY],
  admin: EVERY.filter((scope) => !OWNER_ONLY.includes(scope)),
  support: [...READ, 'licenses:lifecycle', 'licenses:renew', 'seats:write', 'customers:notes', 'messages:retry', 'keys:rotate', 'keys:send'],
  finance: [...READ, 'licenses:change-plan', 'licenses:revoke', 'licenses:renew', 'stripe:replay', 'customers:notes'],
  read_only: [...READ],
};

/** What a holder of these scopes may do: `admin` implies every scope. */
export function grants(held: Iterable<Scope>, needed: Scope): boolean {
  for (const scope of held) if (scope === 'admin' || scope === needed) return true;
  return false;
}

/** Scopes in `wanted` that `held` does not grant (a token may not carry more than its creator). */
export function scopesBeyond(held: readonly Scope[], wanted: readonly Scope[]): Scope[] {
  return wanted.filter((scope) => (scope === 'admin' ? !held.includes('admin') : !grants(held, scope)));
}

/** A role's rank: owners outrank admins, and so on (SSO gives the highest role a person's claims match). */
export const roleRank = (role: Role) => ROLES.length - ROLES.indexOf(role);
