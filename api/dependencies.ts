import type { EntityManager } from '@mikro-orm/postgresql';
import type { Registry } from 'prom-client';
import type { CorsOrigins, TrustProxy } from '../lib/http-edge-settings.ts';
import type { IdentityConfig } from '../lib/identity-config.ts';
import type { Logger } from '../lib/logger.ts';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type { StaffMailer } from '../domain/staff/staff-mailer.ts';
import type { CustomerLinkMailer } from '../domain/portal/customer-link-mailer.ts';
import type { ProviderTls } from '../outreach/customerio-gateway.ts';
import type { StripeServices } from '../lib/stripe-client.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import type { DatabaseOutage } from './health/database-outage.ts';
import type { ClientRateLimiter } from './http/rate-limit.ts';
import type { SigningKeyring } from '../domain/signing/signing-keyring.ts';
import type { LifecycleClient } from '../temporal/lifecycle-client.ts';
import type { HotPathDb } from '../lib/hot-path-db.ts';
import type { LicenseCache } from './validation/license-cache.ts';
import type { ValidationCounter } from './validation/validation-counter.ts';
import type { UsageRecorder } from '../domain/usage/usage-recorder.ts';

/** Everything the HTTP layer needs, passed in so tests can build the app in-process. */
export interface ApiDependencies {
  em: EntityManager;
  /** Talks to Temporal: license workflows, message deliveries (temporal/lifecycle-client.ts). */
  lifecycle: LifecycleClient;
  secret: ServerSecret;
  logger: Logger;
  cache: LicenseCache;
  rateLimiter: ClientRateLimiter;
  /** Prepared statements for the client endpoints; without it they borrow the ORM's pool. */
  hotPath?: HotPathDb;
  /** Keys that sign validation answers and offline tokens; without it the app reads them from `em`. */
  signingKeys?: SigningKeyring;
  /** Counts validations per license per day (renewal tasks report them); none: not counted. */
  validationCounter?: ValidationCounter;
  /** Records every client call for usage reports and abuse checks (USAGE_CAPTURE); none: not recorded. */
  usage?: UsageRecorder;
  /** Stripe's client and webhook secret; without them the webhook answers STRIPE_NOT_CONFIGURED. */
  stripe?: StripeServices;
  /** Where the app's Prometheus metrics live; without it createApp makes one (never the global default registry). */
  metricsRegistry?: Registry;
  /** Serve GET /metrics without a token (METRICS_PUBLIC); default: an admin token with `licenses:read`. */
  metricsPublic?: boolean;
  /** Licenses per second a bulk operation changes (BULK_OPERATION_RATE); default 20. */
  bulkRatePerSecond?: number;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); none: the socket's peer is the client. */
  trustProxy?: TrustProxy;
  /** Origins whose pages may read the client endpoints' answers (CLIENT_CORS_ORIGINS); default: any. */
  clientCorsOrigins?: CorsOrigins;
  /** Staff sessions, sign-in limits, passwords, SSO; default: an empty environment's (lib/identity-config.ts). */
  identity?: IdentityConfig;
  /** Customer.io, for the staff invitation and reset e-mails; without it those links are handed over by owners. */
  outreach?: OutreachConfig;
  /** TLS for the provider connections (tests: the local servers' CA). */
  providerTls?: ProviderTls;
  /** Sends staff links; default: Customer.io's transactional e-mail from `outreach`. */
  staffMailer?: StaffMailer;
  /** Sends customers' portal sign-in links; default: Customer.io's transactional e-mail from `outreach`. */
  customerLinkMailer?: CustomerLinkMailer;
  /** The process's view of whether Postgres is reachable; without it createApp makes one (probing through `em`). */
  databaseOutage?: DatabaseOutage;
  /** The Temporal Web UI's address (TEMPORAL_UI_URL, or the dev server's), for links to license workflows. */
  temporalUiUrl?: string;
  /** The built web apps (dist/): the console at /admin and the portal at /portal; none: not served. */
  webDist?: string;
}
