import type { Server } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import type { Config, StripeSettings } from '../lib/config.ts';
import type { CorsOrigins, TrustProxy } from '../lib/http-edge-settings.ts';
import type { Logger } from '../lib/logger.ts';
import { createStripeServices } from '../lib/stripe-client.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import type { TemporalTarget } from '../lib/temporal-connection.ts';
import { createApp } from './app.ts';
import { ClientRateLimiter, type RateLimits } from './http/rate-limit.ts';
import { SigningKeyring } from './signing/signing-keyring.ts';
import { HotPathDb } from './validation/hot-path-db.ts';
import { LicenseCache } from './validation/license-cache.ts';
import { ValidationCounter } from './validation/validation-counter.ts';

export interface ApiServerOptions {
  em: EntityManager;
  /** Postgres URL for the cache's LISTEN connection and the client endpoints' own pool. */
  databaseUrl: string;
  /** Connections of the client endpoints' pool (prepared statements); default: the ORM pool's size. */
  hotPathPoolMax?: number;
  rateLimits: RateLimits;
  cacheMax: number;
  secret: ServerSecret;
  logger: Logger;
  temporal: TemporalTarget;
  taskQueue: string;
  host: string;
  port: number;
  /** Without it the Stripe webhook answers STRIPE_NOT_CONFIGURED. */
  stripe?: StripeSettings;
  /** Serve GET /metrics without a token (METRICS_PUBLIC). */
  metricsPublic?: boolean;
  /** Proxies trusted to name the client (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  /** Origins allowed to read the client endpoints' answers (CLIENT_CORS_ORIGINS). */
  clientCorsOrigins?: CorsOrigins;
}

/** The options a process's configuration sets; the caller adds what it opened (database, secret, logger, Temporal). */
export function apiServerSettings(
  config: Config,
): Pick<ApiServerOptions, 'taskQueue' | 'host' | 'port' | 'rateLimits' | 'cacheMax' | 'stripe' | 'metricsPublic' | 'trustProxy' | 'clientCorsOrigins'> {
  return {
    taskQueue: config.temporal.taskQueue,
    host: config.http.host,
    port: config.http.port,
    rateLimits: config.rateLimits,
    cacheMax: config.validationCacheMax,
    stripe: config.stripe,
    metricsPublic: config.metricsPublic,
    trustProxy: config.trustProxy,
    clientCorsOrigins: config.clientCorsOrigins,
  };
}

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
  const connection = Connection.lazy({
    address: options.temporal.address,
    tls: options.temporal.tls ?? (options.temporal.apiKey ? true : undefined),
    apiKey: options.temporal.apiKey,
  });
  const temporal = new Client({ connection, namespace: options.temporal.namespace });
  const cache = new LicenseCache({ url: options.databaseUrl, logger: options.logger, max: options.cacheMax });
  await cache.start();
  // The first start of a fresh database generates the first signing key.
  const signingKeys = new SigningKeyring({ em: options.em, secret: options.secret, logger: options.logger });
  await signingKeys.load();
  const hotPath = HotPathDb.connect({ url: options.databaseUrl, max: options.hotPathPoolMax ?? options.em.config.get('pool')?.max ?? 10 });
  const validationCounter = new ValidationCounter(options.em).start();
  const app = createApp({
    em: options.em,
    temporal,
    secret: options.secret,
    logger: options.logger,
    taskQueue: options.taskQueue,
    cache,
    rateLimiter: new ClientRateLimiter(options.rateLimits),
    hotPath,
    signingKeys,
    validationCounter,
    stripe: createStripeServices(options.stripe),
    metricsPublic: options.metricsPublic,
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
      await cache.close();
      await validationCounter.close();
      await hotPath.close();
      await connection.close();
    },
  };
}
