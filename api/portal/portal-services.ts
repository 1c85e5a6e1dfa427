import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import { defaultIdentityConfig, type IdentityConfig } from '../../lib/identity-config.ts';
import { OUTREACH_WITHOUT_PROVIDERS, type OutreachConfig } from '../../lib/outreach-config.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import type { CustomerLinkMailer } from '../../domain/portal/customer-link-mailer.ts';
import type { PortalSignInDeps } from '../../domain/portal/portal-deps.ts';
import type { RenewalSettings } from '../../domain/portal/open-renewal.ts';
import { SessionStore } from '../../domain/sessions/session-store.ts';
import { SignInThrottle } from '../../domain/sessions/sign-in-throttle.ts';
import type { ProviderTls } from '../../outreach/customerio-gateway.ts';
import { CustomerIoCustomerLinkMailer } from '../../outreach/customer-link-mailer.ts';
import { CookieSessions } from '../http/cookie-session.ts';

/** The customer portal's session cookie: its own name and table, apart from staff sessions. */
export const CUSTOMER_SESSION_COOKIE = 'kw_customer_session';

/** A customer session ends after 30 minutes unused, and 12 hours after sign-in in any case. */
export const CUSTOMER_SESSION_LIFETIMES = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

/**
 * Sign-in links asked for: at most 5 per e-mail and 30 per IP address within 15 minutes (each
 * request counts, known e-mail or not); reaching either pauses it for 15 minutes.
 */
export const CUSTOMER_LINK_LIMITS = { maxFailuresPerAccount: 5, maxFailuresPerIp: 30, lockoutMs: 15 * 60_000 };

export interface PortalServices {
  sessions: CookieSessions;
  signIn: PortalSignInDeps;
  renewal: RenewalSettings;
}

export function portalServices(deps: {
  em: EntityManager;
  secret: ServerSecret;
  logger: Logger;
  identity?: IdentityConfig;
  outreach?: OutreachConfig;
  providerTls?: ProviderTls;
  stripe?: StripeServices;
  customerLinkMailer?: CustomerLinkMailer;
}): PortalServices {
  const identity = deps.identity ?? defaultIdentityConfig();
  const outreach = deps.outreach ?? OUTREACH_WITHOUT_PROVIDERS;
  const store = new SessionStore({ em: deps.em, secret: deps.secret, table: 'customer_session', lifetimes: CUSTOMER_SESSION_LIFETIMES });
  const mailer =
    deps.customerLinkMailer ?? new CustomerIoCustomerLinkMailer({ outreach, messageId: identity.email.portalSignInMessageId, logger: deps.logger, tls: deps.providerTls });
  return {
    sessions: new CookieSessions({ cookieName: CUSTOMER_SESSION_COOKIE, store, publicUrl: identity.publicUrl }),
    signIn: { em: deps.em, secret: deps.secret, sessions: store, throttle: new SignInThrottle(deps.secret, CUSTOMER_LINK_LIMITS), mailer, logger: deps.logger, publicUrl: identity.publicUrl },
    renewal: { stripe: deps.stripe?.client, renewalUrlTemplate: outreach.renewalUrlTemplate, publicUrl: identity.publicUrl },
  };
}
