import type { Server } from 'node:http';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config, StripeSettings } from '../lib/config.ts';
import type { CorsOrigins, TrustProxy } from '../lib/http-edge-settings.ts';
import type { IdentityConfig } from '../lib/identity-config.ts';
import type { Logger } from '../lib/logger.ts';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import { createStripeServices } from '../lib/stripe-client.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import { lazyClient, type TemporalTarget } from '../lib/temporal-connection.ts';
import { REPO_ROOT } from '../lib/web-build.ts';
import { LifecycleClient } from '../temporal/lifecycle-client.ts';
import { createApp } from './app.ts';
import { DatabaseOutage } from './health/database-outage.ts';
import { ClientRateLimiter, type RateLimits } from './http/rate-limit.ts';
import { SigningKeyring } from '../domain/signing/signing-keyring.ts';
import { HotPathDb, type PreparedQuery } from '../lib/hot-path-db.ts';
import { LicenseCache } from './validation/license-cache.ts';
import { ValidationCounter } from './validation/validation-counter.ts';
import type { UsageConfig } from '../lib/usage-config.ts';
import { GeoCountry } from '../lib/geo-country.ts';
import { UsageRecorder } from '../domain/usage/usage-recorder.ts';

export interface ApiServerOptions {
  em: EntityManager;
  /** Postgres URL for the cache's LISTEN connection and the client endpoints' own pool. */
  databaseUrl: string;
  /** Connections of the client endpoints' pool (prepared statements); default: the ORM pool's size. */
  hotPathPoolMax?: number;
  rateLimits: RateLimits;
  cacheMax: number;
  /** VALIDATION_STALE_ON_ERROR_SECONDS: how long cached validations answer while Postgres is unreachable (default 300). */
  staleOnErrorSeconds?: number;
  secret: ServerSecret;
  logger: Logger;
  temporal: TemporalTarget;
  taskQueue: string;
  /** The deadline of each call to Temporal (TEMPORAL_CALL_TIMEOUT). */
  temporalCallTimeoutMs?: number;
  host: string;
  port: number;
  /** Without it the Stripe webhook answers STRIPE_NOT_CONFIGURED. */
  stripe?: StripeSettings;
  /** Serve GET /metrics without a token (METRICS_PUBLIC). */
  metricsPublic?: boolean;
  /** Licenses per second a bulk operation changes (BULK_OPERATION_RATE). */
  bulkRatePerSecond?: number;
  identity?: IdentityConfig;
  outreach?: OutreachConfig;
  /** The Temporal Web UI, for links to license workflows (TEMPORAL_UI_URL, or the dev server's). */
  temporalUiUrl?: string;
  /** The built web apps (dist/): the console at /admin, the portal at /portal. */
  webDist?: string;
  /** Proxies trusted to name the client (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  /** Origins allowed to read the client endpoints' answers (CLIENT_CORS_ORIGINS). */
  clientCorsOrigins?: CorsOrigins;
  /** Usage capture (USAGE_CAPTURE, USAGE_FLUSH_INTERVAL, USAGE_BUFFER_MAX, USAGE_GEOIP_DB); none: calls are not recorded. */
  usage?: UsageConfig;
}

/** The options a process's configuration sets; the caller adds what it opened (database, secret, logger, Temporal). */
export function apiServerSettings(
  config: Config,
): Pick<
  ApiServerOptions,
  | 'taskQueue'
  | 'temporalCallTimeoutMs'
  | 'host'
  | 'port'
  | 'rateLimits'
  | 'cacheMax'
  | 'staleOnErrorSeconds'
  | 'stripe'
  | 'metricsPublic'
  | 'bulkRatePerSecond'
  | 'identity'
  | 'outreach'
  | 'temporalUiUrl'
  | 'webDist'
  | 'trustProxy'
  | 'clientCorsOrigins'
  | 'usage'
> {
  return {
    taskQueue: config.temporal.taskQueue,
    temporalCallTimeoutMs: config.temporal.callTimeoutMs,
    host: config.http.host,
    port: config.http.port,
    rateLimits: config.rateLimits,
    cacheMax: config.validationCacheMax,
    staleOnErrorSeconds: config.validationStaleOnErrorSeconds,
    stripe: config.stripe,
    metricsPublic: config.metricsPublic,
    bulkRatePerSecond: config.bulkRatePerSecond,
    identity: config.identity,
    outreach: config.outreach,
    temporalUiUrl: config.temporal.uiUrl,
    webDist: path.join(REPO_ROOT, 'dist'),
    trustProxy: config.trustProxy,
    clientCorsOrigins: config.clientCorsOrigins,
    usage: config.usage,
  };
}

/** The usage recorder, flushing every USAGE_FLUSH_INTERVAL; none when USAGE_CAPTURE is off. */
function startUsageCapture(options: ApiServerOptions): UsageRecorder | undefined {
  if (!options.usage?.capture) return undefined;
  const geo = new GeoCountry(options.usage.geoipDb);
  return new UsageRecorder({
    em: options.em,
    logger: options.logger,
    countryOf: (ip) => geo.countryOf(ip),
    flushIntervalMs: options.usage.flushIntervalMs,
    maxRows: options.usage.bufferMax,
  }).start();
}

/** The outage tracker's probe: the cheapest round trip, on the client endpoints' own pool. */
const PROBE: PreparedQuery = { name: 'kw_probe', text: 'select 1' };

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP API. The Temporal connection is lazy: the API serves validations from
 * Postgres even while Temporal is unreachable, and /readyz says so.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApi> {
  const temporal = lazyClient(options.temporal);
  const cache = new LicenseCache({ url: options.databaseUrl, logger: options.logger, max: options.cacheMax, staleOnErrorMs: (options.staleOnErrorSeconds ?? 300) * 1000 });
  await cache.start();
  // The first start of a fresh database generates the first signing key.
  const signingKeys = new SigningKeyring({ em: options.em, secret: options.secret, logger: options.logger });
  await signingKeys.load();
  const hotPath = HotPathDb.connect({ url: options.databaseUrl, max: options.hotPathPoolMax ?? options.em.config.get('pool')?.max ?? 10 });
  const databaseOutage = new DatabaseOutage({ logger: options.logger, probe: () => hotPath.rows(PROBE, []) });
  const validationCounter = new ValidationCounter(options.em).start();
  const usage = startUsageCapture(options);
  const lifecycle = new LifecycleClient({ client: temporal, em: options.em, taskQueue: options.taskQueue, callTimeoutMs: options.temporalCallTimeoutMs });
  const app = createApp({
    em: options.em,
    lifecycle,
    secret: options.secret,
    logger: options.logger,
    cache,
    rateLimiter: new ClientRateLimiter(options.rateLimits),
    hotPath,
    signingKeys,
    validationCounter,
    usage,
    stripe: createStripeServices(options.stripe),
    metricsPublic: options.metricsPublic,
    bulkRatePerSecond: options.bulkRatePerSecond,
    identity: options.identity,
    outreach: options.outreach,
    databaseOutage,
    temporalUiUrl: options.temporalUiUrl,
    webDist: options.webDist,
    trustProxy: options.trustProxy,
    clientCorsOrigins: options.clientCorsOrigins,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
    listening.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      databaseOutage.close();
      await cache.close();
      await validationCounter.close();
      await usage?.close();
      await hotPath.close();
      await lifecycle.drain();
      await temporal.connection.close();
    },
  };
}
