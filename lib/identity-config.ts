import type { RawConfig } from './config.ts';
import { ROLES, type Role } from './roles.ts';

/** Staff identity: sessions, sign-in throttling, passwords, e-mailed links, single sign-on. */
export interface IdentityConfig {
  /** PUBLIC_URL: links point at it, cookie writes must come from its origin, https makes cookies Secure. */
  publicUrl: string;
  sessions: { idleMs: number; absoluteMs: number };
  signIn: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockoutMs: number };
  passwordMinLength: number;
  /** Transactional messages for staff links; without them the owner copies the link from the API. */
  email: { invitationMessageId?: string; passwordResetMessageId?: string; /** The customer portal's sign-in link; without it the portal offers no e-mail sign-in. */ portalSignInMessageId?: string };
  oidc?: OidcConfig;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Rules from claims to roles; a person gets the highest role their claims match, none: refused. */
  roleRules: OidcRoleRule[];
  groupsClaim: string;
  scopes: string;
}

export type OidcRoleRule = { kind: 'domain' | 'group'; value: string; role: Role };

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `12h`, `90s`, `7d` → milliseconds. */
export function durationMs(value: string): number {
  const match = /^([1-9][0-9]*)(s|m|h|d)$/.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** `domain:example.com=support,group:kw-admins=admin` → rules. */
export function parseRoleRules(value: string): OidcRoleRule[] {
  return value
    .split(',')
    .map((rule) => rule.trim())
    .filter(Boolean)
    .map((rule) => {
      const match = /^(domain|group):([^=]+)=(.+)$/.exec(rule);
      if (!match || !(ROLES as readonly string[]).includes(match[3]!.trim())) {
        throw new Error(`OIDC_ROLE_MAPPING: "${rule}" is not domain:<domain>=<role> or group:<group>=<role> with a role of ${ROLES.join(', ')}`);
      }
      const kind = match[1] as 'domain' | 'group';
      const value = match[2]!.trim();
      return { kind, value: kind === 'domain' ? value.toLowerCase() : value, role: match[3]!.trim() as Role };
    });
}

/** The identity part of the parsed environment (lib/config.ts's loadConfig). */
export function readIdentity(raw: RawConfig, publicUrl: string): IdentityConfig {
  const idleMs = durationMs(raw.STAFF_SESSION_IDLE_TIMEOUT);
  const absoluteMs = durationMs(raw.STAFF_SESSION_MAX_AGE);
  if (idleMs > absoluteMs) throw new Error('STAFF_SESSION_IDLE_TIMEOUT must not be longer than STAFF_SESSION_MAX_AGE');
  const oidcParts = [raw.OIDC_ISSUER, raw.OIDC_CLIENT_ID, raw.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) throw new Error('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  const roleRules = parseRoleRules(raw.OIDC_ROLE_MAPPING ?? '');
  if (raw.OIDC_ISSUER && roleRules.length === 0) throw new Error('OIDC_ROLE_MAPPING must map at least one e-mail domain or group to a role when OIDC_ISSUER is set');
  return {
    publicUrl,
    sessions: { idleMs, absoluteMs },
    signIn: { maxFailuresPerAccount: raw.SIGN_IN_MAX_FAILURES, maxFailuresPerIp: raw.SIGN_IN_MAX_FAILURES_PER_IP, lockoutMs: durationMs(raw.SIGN_IN_LOCKOUT) },
    passwordMinLength: raw.PASSWORD_MIN_LENGTH,
    email: { invitationMessageId: raw.CUSTOMERIO_STAFF_INVITATION_MESSAGE_ID, passwordResetMessageId: raw.CUSTOMERIO_PASSWORD_RESET_MESSAGE_ID, portalSignInMessageId: raw.CUSTOMERIO_PORTAL_SIGN_IN_MESSAGE_ID },
    oidc:
      raw.OIDC_ISSUER && raw.OIDC_CLIENT_ID && raw.OIDC_CLIENT_SECRET
        ? { issuer: raw.OIDC_ISSUER, clientId: raw.OIDC_CLIENT_ID, clientSecret: raw.OIDC_CLIENT_SECRET, roleRules, groupsClaim: raw.OIDC_GROUPS_CLAIM, scopes: raw.OIDC_SCOPES }
        : undefined,
  };
}

/** Defaults for an app built without configuration (tests, tools): as an empty environment gives them. */
export function defaultIdentityConfig(publicUrl = 'http://localhost:3000'): IdentityConfig {
  return {
    publicUrl,
    sessions: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
    signIn: { maxFailuresPerAccount: 5, maxFailuresPerIp: 20, lockoutMs: 15 * 60_000 },
    passwordMinLength: 12,
    email: {},
  };
}
