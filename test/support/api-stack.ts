import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app.ts';
import type { ApiDependencies } from '../../api/dependencies.ts';
import { ClientRateLimiter, type RateLimits } from '../../api/http/rate-limit.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { ensureBootstrapToken, generateApiToken } from '../../api/auth/api-token.service.ts';
import { defaultIdentityConfig, type IdentityConfig } from '../../lib/identity-config.ts';
import { OUTREACH_WITHOUT_PROVIDERS, type OutreachConfig } from '../../lib/outreach-config.ts';
import type { ProviderTls } from '../../outreach/customerio-gateway.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { REPO_ROOT } from '../../lib/web-build.ts';
import { registerSearchAttributes } from '../../temporal/search-attribute-registration.ts';
import { createLicenseWorker, type LicenseWorkerOptions } from '../../worker/worker.ts';
import { LifecycleClient } from '../../temporal/lifecycle-client.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { captureLogs } from './log-capture.ts';
import { testSecret } from './licenses.ts';
import { testLogger, uniqueTaskQueue } from './temporal.ts';

export interface ApiStack {
  db: TestDatabase;
  secret: ServerSecret;
  cache: LicenseCache;
  temporal: Client;
  /** The Temporal client module the app is built with, on `temporal`. */
  lifecycle: LifecycleClient;
  taskQueue: string;
  adminToken: string;
  baseUrl: string;
  /** The identity settings the app runs with (PUBLIC_URL is the stack's own address). */
  identity: IdentityConfig;
  request(method: string, path: string, options?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{
    status: number;
    headers: Headers;
    body: any;
  }>;
  close(): Promise<void>;
}

/**
 * The API in-process on a random port, a private database, and a worker on a private task
 * queue of the run's Temporal dev server: everything real, nothing shared between files.
 */
export async function startApiStack(
  options: {
    worker?: boolean;
    rateLimits?: RateLimits;
    delivery?: LicenseWorkerOptions['delivery'];
    stripe?: StripeServices;
    /** Another Temporal server than the run's (a test that stops and restarts its own). */
    temporalAddress?: string;
    /**
     * The deadline of each call to Temporal (TEMPORAL_CALL_TIMEOUT). Default 30 s, not the
     * production 5 s: an admin update waits for the workflow's activity, which a loaded CI
     * machine may slow past 5 s (test/api/temporal-outage.test.ts runs at the default).
     */
    temporalCallTimeoutMs?: number;
    /** Staff identity settings over the defaults (PUBLIC_URL is always the stack's address). */
    identity?: Partial<Omit<IdentityConfig, 'publicUrl'>>;
    /** Customer.io for the API's staff e-mails, and its CA. */
    outreach?: OutreachConfig;
    providerTls?: ProviderTls;
    /** The API's logger (default: the silent test logger). */
    logger?: Logger;
    /** The worker's logger (default: the silent test logger). */
    workerLogger?: Logger;
    /** Serve the built web apps (dist/, built by the global setup) at /admin and /portal, as the API process does. */
    web?: boolean;
    /** The Temporal Web UI the license workflow links point at. */
    temporalUiUrl?: string;
    /** More of the app's wiring (TRUST_PROXY, CORS origins, a logger to read). */
    app?: Partial<ApiDependencies>;
  } = {},
): Promise<ApiStack> {
  const address = options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  const db = await createTestDatabase();
  const secret = testSecret();
  const taskQueue = uniqueTaskQueue('api');
  const connection = await Connection.connect({ address });
  await registerSearchAttributes(connection, 'default');
  const temporal = new Client({ connection, namespace: 'default' });
  const callTimeoutMs = options.temporalCallTimeoutMs ?? 30_000;
  const lifecycle = new LifecycleClient({ client: temporal, em: db.orm.em, taskQueue, callTimeoutMs });

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (options.worker !== false) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createLicenseWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      em: db.orm.em,
      logger: options.workerLogger ?? testLogger,
      delivery: options.delivery ? { secret, ...options.delivery } : { outreach: OUTREACH_WITHOUT_PROVIDERS },
      stripe: options.stripe?.client,
      callTimeoutMs,
    });
    workerRun = worker.run();
  }

  const adminToken = generateApiToken();
  await ensureBootstrapToken(db.orm.em, secret, adminToken);
  const cache = new LicenseCache({ url: db.url, logger: testLogger });
  await cache.start();
  // Listening first: the app's PUBLIC_URL (cookie writes' origin, links) is the server's own address.
  const server: Server = createServer();
  // As the API process does (api/server.ts): a client never reuses a connection the server is
  // closing for idleness (node's 5 s default races fetch's own 4 s on a loaded machine: ECONNRESET).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const identity: IdentityConfig = { ...defaultIdentityConfig(baseUrl), ...options.identity };
  const app = createApp({
    em: db.orm.em,
    lifecycle,
    secret,
    logger: options.logger ?? testLogger,
    cache,
    rateLimiter: new ClientRateLimiter(options.rateLimits ?? { perIpPerMinute: 100_000, perKeyPerMinute: 100_000, unknownKeysPerIpPerMinute: 100_000 }),
    stripe: options.stripe,
    identity,
    outreach: options.outreach,
    providerTls: options.providerTls,
    webDist: options.web ? path.join(REPO_ROOT, 'dist') : undefined,
    temporalUiUrl: options.temporalUiUrl,
    ...options.app,
  });
  server.on('request', app.callback());

  return {
    db,
    secret,
    cache,
    temporal,
    lifecycle,
    taskQueue,
    adminToken,
    baseUrl,
    identity,
    async request(method, path, { body, token = adminToken, headers = {} } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // leave as text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await cache.close();
      worker?.shutdown();
      await workerRun;
      await nativeConnection?.close();
      await lifecycle.drain();
      await connection.close();
      await db.drop();
    },
  };
}

export interface Replica {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Another API replica on the stack's database and Temporal (the stack's cache unless `deps`
 * gives another), listening on a random port: for tests that close a server or change its wiring.
 */
export async function startReplica(stack: ApiStack, deps: Partial<ApiDependencies> = {}): Promise<Replica> {
  const app = createApp({
    em: stack.db.orm.em,
    lifecycle: stack.lifecycle,
    secret: stack.secret,
    logger: testLogger,
    cache: stack.cache,
    rateLimiter: new ClientRateLimiter(),
    ...deps,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * An API stack for one test file (started before its tests, closed after), whose logs the tests
 * read (`logs.atLeast('error')`). `stack` is read once it runs.
 */
export function useApiStack(options: Parameters<typeof startApiStack>[0] = {}) {
  const logs = captureLogs();
  let running: ApiStack | undefined;
  beforeAll(async () => {
    running = await startApiStack({ ...options, app: { logger: logs.logger, ...options.app } });
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    logs,
    get stack(): ApiStack {
      if (!running) throw new Error('the API stack is not running (use it inside a test)');
      return running;
    },
  };
}
