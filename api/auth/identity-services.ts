import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultIdentityConfig, type IdentityConfig } from '../../lib/identity-config.ts';
import type { Logger } from '../../lib/logger.ts';
import { OUTREACH_WITHOUT_PROVIDERS, type OutreachConfig } from '../../lib/outreach-config.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { SessionStore } from '../../domain/sessions/session-store.ts';
import { SignInThrottle } from '../../domain/sessions/sign-in-throttle.ts';
import type { StaffDeps } from '../../domain/staff/staff-deps.ts';
import type { StaffMailer } from '../../domain/staff/staff-mailer.ts';
import { OidcClient } from '../../domain/sso/oidc-client.ts';
import type { ProviderTls } from '../../outreach/customerio-gateway.ts';
import { CustomerIoStaffMailer } from '../../outreach/staff-link-mailer.ts';
import { CookieSessions } from '../http/cookie-session.ts';

/** The staff console's session cookie. */
export const STAFF_SESSION_COOKIE = 'kw_staff_session';

/** Everything the identity routes and the route guard share, built once per app. */
export interface IdentityServices {
  config: IdentityConfig;
  staffSessions: CookieSessions;
  throttle: SignInThrottle;
  staff: StaffDeps;
  oidc: OidcClient | null;
}

export function identityServices(deps: {
  em: EntityManager;
  secret: ServerSecret;
  logger: Logger;
  identity?: IdentityConfig;
  outreach?: OutreachConfig;
  providerTls?: ProviderTls;
  staffMailer?: StaffMailer;
}): IdentityServices {
  const config = deps.identity ?? defaultIdentityConfig();
  const store = new SessionStore({ em: deps.em, secret: deps.secret, table: 'staff_session', lifetimes: config.sessions });
  const mailer =
    deps.staffMailer ??
    new CustomerIoStaffMailer({
      outreach: deps.outreach ?? OUTREACH_WITHOUT_PROVIDERS,
      messageIds: { invitation: config.email.invitationMessageId, passwordReset: config.email.passwordResetMessageId },
      logger: deps.logger,
      tls: deps.providerTls,
    });
  return {
    config,
    staffSessions: new CookieSessions({ cookieName: STAFF_SESSION_COOKIE, store, publicUrl: config.publicUrl }),
    throttle: new SignInThrottle(deps.secret, config.signIn),
    staff: { em: deps.em, secret: deps.secret, sessions: store, mailer, logger: deps.logger, publicUrl: config.publicUrl, passwordMinLength: config.passwordMinLength },
    oidc: config.oidc ? new OidcClient(config.oidc, config.publicUrl) : null,
  };
}
