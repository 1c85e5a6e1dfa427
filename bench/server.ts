/**
 * The API under load, in its own process (so the load generator in the parent does not share
 * its event loop). Built exactly as api/server.ts builds it, plus a no-op route mounted on the
 * same Koa app, behind the same middleware, as the baseline each endpoint is compared with.
 *
 * Two floors are served beside it, to show what the machine gives any server at all: the same
 * no-op answered by the very first Koa middleware (Koa and nothing of ours), and by a bare
 * node:http server on a second port (no framework), both in this process.
 *
 * Environment: BENCH_DATABASE_URL, KEYWARDEN_SECRET (base64), BENCH_CACHE_MAX, BENCH_POOL_MAX.
 * Tells the parent `{ type: 'ready', port, floorPort }` over IPC; stops on `{ type: 'stop' }`.
 */
import { createServer, type Server } from 'node:http';
import Router from '@koa/router';
import { createApp } from '../api/app.ts';
import { ClientRateLimiter } from '../api/http/rate-limit.ts';
import { HotPathDb } from '../lib/hot-path-db.ts';
import { LicenseCache } from '../api/validation/license-cache.ts';
import { UNTIMED_PATHS } from '../api/metrics/request-duration.ts';
import { CLIENT_ENDPOINTS } from '../api/http/route-families.ts';
import { createLogger } from '../lib/logger.ts';
import { ServerSecret } from '../lib/server-secret.ts';
import { openOrm } from '../schema/orm.ts';
import { lazyClient } from '../lib/temporal-connection.ts';
import { LifecycleClient } from '../temporal/lifecycle-client.ts';
import { GeoCountry } from '../lib/geo-country.ts';
import { UsageRecorder } from '../domain/usage/usage-recorder.ts';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (bench/server.ts is started by bench/run.ts)`);
  return value;
}

const databaseUrl = env('BENCH_DATABASE_URL');
const secret = ServerSecret.fromBase64(env('KEYWARDEN_SECRET'));
const cacheMax = Number(process.env.BENCH_CACHE_MAX ?? 100_000);
const poolMax = Number(process.env.BENCH_POOL_MAX ?? 10);
const logger = createLogger('silent', 'keywarden-bench');

const orm = await openOrm({ url: databaseUrl, poolMax });
// Never dialled: validation and activation do not touch Temporal.
const temporal = lazyClient({ address: '127.0.0.1:1', namespace: 'default' });
const cache = new LicenseCache({ url: databaseUrl, logger, max: cacheMax });
await cache.start();
const hotPath = HotPathDb.connect({ url: databaseUrl, max: poolMax });

// Counts cache lookups, so the parent can confirm a "cache hit" run really hit the cache.
const stats = { cacheHits: 0, cacheMisses: 0 };
const get = cache.get.bind(cache);
cache.get = (keyHash: string) => {
  const entry = get(keyHash);
  if (entry) stats.cacheHits += 1;
  else stats.cacheMisses += 1;
  return entry;
};

const appDependencies = () => ({
  em: orm.em,
  lifecycle: new LifecycleClient({ client: temporal, em: orm.em, taskQueue: 'keywarden-bench' }),
  secret,
  logger,
  cache,
  rateLimiter: new ClientRateLimiter({ perIpPerMinute: 1e9, perKeyPerMinute: 1e9, unknownKeysPerIpPerMinute: 1e9 }),
  hotPath,
});
const app = createApp(appDependencies());
// The no-op is measured like the client routes it is compared with: outside the duration histogram.
UNTIMED_PATHS.add('/bench/noop');
// …and with the client endpoints' headers (api/http/route-families.ts), not the admin family's.
CLIENT_ENDPOINTS.set('/bench/noop', ['POST']);
const bench = new Router();
bench.post('/bench/noop', (ctx) => {
  ctx.body = { ok: true };
});
bench.get('/bench/stats', (ctx) => {
  // CPU time (µs) and event-loop utilisation, so the parent can work out the server's CPU per request.
  // Resident memory now and at its peak (maxRSS is in KiB), for the bench's report.
  const memory = { rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 };
  ctx.body = { ...stats, cacheEnabled: cache.enabled, cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), memory };
});
bench.post('/bench/stats/reset', (ctx) => {
  stats.cacheHits = 0;
  stats.cacheMisses = 0;
  ctx.body = { ok: true };
});
app.use(bench.routes());
// The Koa floor: ahead of every middleware createApp mounted (the request log, the metrics, the
// problem handler, the routers).
app.middleware.unshift((ctx, next) => {
  if (ctx.path !== '/bench/floor') return next();
  ctx.body = { ok: true };
});

// The node:http floor: no framework, the body read and a fixed answer written.
const floorAnswer = Buffer.from('{"ok":true}');
const floor = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': floorAnswer.length });
    response.end(floorAnswer);
  });
});
floor.keepAliveTimeout = 65_000;
await new Promise<void>((resolve, reject) => {
  floor.listen(0, '127.0.0.1', () => resolve());
  floor.once('error', reject);
});

const server = await new Promise<Server>((resolve, reject) => {
  const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  listening.once('error', reject);
});
server.keepAliveTimeout = 65_000;

// Twins for the cost of the route-family headers (nosniff, CORS; api/http/route-families.ts) on a
// cache hit: two more apps built alike, on ports of their own and the same cache, one of them
// without its routeFamily middleware. Only the cache-hit comparison reaches them, so neither has
// served other runs (the main app also answers the no-op, the floors and the other endpoints).
async function twin(headers: boolean): Promise<Server> {
  const twinApp = createApp(appDependencies());
  if (!headers) {
    const count = twinApp.middleware.length;
    twinApp.middleware = twinApp.middleware.filter((middleware) => middleware.name !== 'routeFamily');
    if (twinApp.middleware.length !== count - 1) throw new Error('bench: the route-family middleware was not found (api/http/route-families.ts)');
  }
  const listening = await new Promise<Server>((resolve, reject) => {
    const started = twinApp.listen(0, '127.0.0.1', () => resolve(started));
    started.once('error', reject);
  });
  listening.keepAliveTimeout = 65_000;
  return listening;
}
const headersServer = await twin(true);
const bareServer = await twin(false);

// Usage capture's cost on a cache hit: one more twin, built like headersServer (capture off) plus
// a usage recorder as api/server.ts starts it (the default 2 s flush into usage_event, countries
// from the shipped database). The parent compares the two side by side.
const geo = new GeoCountry();
const usage = new UsageRecorder({ em: orm.em, logger, countryOf: (ip) => geo.countryOf(ip), flushIntervalMs: 2_000, maxRows: 50_000 }).start();
const usageApp = createApp({ ...appDependencies(), usage });
const usageServer = await new Promise<Server>((resolve, reject) => {
  const started = usageApp.listen(0, '127.0.0.1', () => resolve(started));
  started.once('error', reject);
});
usageServer.keepAliveTimeout = 65_000;
bench.get('/bench/usage', (ctx) => {
  ctx.body = { written: usage.written, dropped: usage.dropped, failedFlushes: usage.failedFlushes };
});

async function stop() {
  for (const listening of [server, floor, headersServer, bareServer, usageServer]) {
    await new Promise<void>((resolve) => {
      listening.close(() => resolve());
      listening.closeAllConnections();
    });
  }
  await usage.close();
  await cache.close();
  await hotPath.close();
  await temporal.connection.close().catch(() => undefined);
  await orm.close(true);
  process.disconnect?.();
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('bench server: stop failed', error);
        process.exit(1);
      },
    );
  }
});
// Orphaned (the parent died): leave.
process.on('disconnect', () => process.exit(0));

const portOf = (listening: Server) => {
  const address = listening.address();
  return typeof address === 'object' && address ? address.port : 0;
};
process.send?.({ type: 'ready', port: portOf(server), floorPort: portOf(floor), headersPort: portOf(headersServer), barePort: portOf(bareServer), usagePort: portOf(usageServer) });
