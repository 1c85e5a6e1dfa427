import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app.ts';
import type { ApiDependencies } from '../../api/dependencies.ts';
import { ClientRateLimiter, type RateLimits } from '../../api/http/rate-limit.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { ensureBootstrapToken, generateApiToken } from '../../api/auth/api-token.service.ts';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { registerSearchAttributes } from '../../lib/search-attribute-registration.ts';
import { createLicenseWorker, type LicenseWorkerOptions } from '../../worker/worker.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { captureLogs } from './log-capture.ts';
import { testSecret } from './licenses.ts';
import { testLogger, uniqueTaskQueue } from './temporal.ts';

export interface ApiStack {
  db: TestDatabase;
  secret: ServerSecret;
  cache: LicenseCache;
  temporal: Client;
  taskQueue: string;
  adminToken: string;
  baseUrl: string;
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
    /** More of the app's wiring (TRUST_PROXY, CORS origins, a logger to read). */
    app?: Partial<ApiDependencies>;
  } = {},
): Promise<ApiStack> {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  const db = await createTestDatabase();
  const secret = testSecret();
  const taskQueue = uniqueTaskQueue('api');
  const connection = await Connection.connect({ address });
  await registerSearchAttributes(connection, 'default');
  const temporal = new Client({ connection, namespace: 'default' });

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
      logger: testLogger,
      delivery: options.delivery ? { secret, ...options.delivery } : { outreach: OUTREACH_WITHOUT_PROVIDERS },
      stripe: options.stripe?.client,
    });
    workerRun = worker.run();
  }

  const adminToken = generateApiToken();
  await ensureBootstrapToken(db.orm.em, secret, adminToken);
  const cache = new LicenseCache({ url: db.url, logger: testLogger });
  await cache.start();
  const app = createApp({
    em: db.orm.em,
    temporal,
    secret,
    logger: testLogger,
    taskQueue,
    cache,
    rateLimiter: new ClientRateLimiter(options.rateLimits ?? { perIpPerMinute: 100_000, perKeyPerMinute: 100_000, unknownKeysPerIpPerMinute: 100_000 }),
    stripe: options.stripe,
    ...options.app,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    db,
    secret,
    cache,
    temporal,
    taskQueue,
    adminToken,
    baseUrl,
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
    temporal: stack.temporal,
    secret: stack.secret,
    logger: testLogger,
    taskQueue: stack.taskQueue,
    cache: stack.cache,
    rateLimiter: new ClientRateLimiter(),
    ...deps,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
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
