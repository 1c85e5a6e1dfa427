/**
 * `npm run bench`: load-tests the real API against a real Postgres seeded with BENCH_LICENSES
 * licenses, and compares each client endpoint with a no-op route served by the same process,
 * measured right before and right after it (machines are noisy; side-by-side ratios are what
 * matter). Prints PASS/FAIL against the targets; exits non-zero only when the bench itself fails.
 *
 * Environment: BENCH_DURATION (s, default 10), BENCH_LICENSES (default 100000, at least 20: the
 * cache-hit keys and the activation pools are carved from them),
 * BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default 50), BENCH_POOL_MAX (server's
 * Postgres pool, default 10 like DATABASE_POOL_MAX), BENCH_PG_FAST=1 (fsync and
 * synchronous_commit off; the default keeps Postgres durable, as in production), BENCH_HEADER_ROUNDS
 * (pairs of cache-hit runs with and without the route-family headers, default 4), BENCH_PROFILE
 * (a folder: each server process writes a V8 CPU profile there).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres.ts';
import { freePort } from '../lib/ports.ts';
import { generateLicenseKey } from '../lib/license-key.ts';
import { ServerSecret } from '../lib/server-secret.ts';
import { migrate, openOrm } from '../schema/orm.ts';
import { getJson, LoadRunner, NOOP_BUILT_ONCE, NOOP_PER_REQUEST, post, summarize } from './load.ts';
import { floorsTable, fmt, table, type Measurement, type Row } from './report.ts';
import { countOverAllocated, databaseSize, seedLicenses, sessionStates, settle, TEAM_SEAT_LIMIT } from './seed.ts';
import { startServer, stopAllServers } from './server-process.ts';

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

const DURATION = intEnv('BENCH_DURATION', 10, 1);
const LICENSES = intEnv('BENCH_LICENSES', 100_000, 20);
const WARMUP = intEnv('BENCH_WARMUP', 2, 0);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 50, 1);
const POOL_MAX = intEnv('BENCH_POOL_MAX', 10, 1);
const PG_FAST = process.env.BENCH_PG_FAST === '1';
// A fifth of the licenses at most, so that small runs (a quick check) keep licenses to activate.
const HIT_KEYS = Math.min(1_000, Math.floor(LICENSES / 5));
/** Pairs of cache-hit runs with and without the route-family headers. */
const HEADER_ROUNDS = intEnv('BENCH_HEADER_ROUNDS', 4, 1);
/** Pairs of cache-hit runs with usage capture on and off. */
const USAGE_ROUNDS = intEnv('BENCH_USAGE_ROUNDS', 4, 1);
const TARGET_USAGE_RATIO = 0.9;
const UNKNOWN_KEYS = 10_000;

const TARGET_HIT_RATIO = 0.7;
const TARGET_HIT_P99_MS = 10;
const TARGET_ACTIVATIONS_PER_S = 1_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`sanity check failed: ${message}`);
}

const runner = new LoadRunner({ connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, log });
const measure = runner.measure.bind(runner);
const sideBySide = runner.sideBySide.bind(runner);
const load = runner.load.bind(runner);

// ---------------------------------------------------------------------------------------------

let postgres: RunningPostgres | undefined;
let root: string | undefined;

async function cleanUp() {
  runner.stop();
  await stopAllServers();
  await postgres?.stop().catch((error: unknown) => log(`could not stop Postgres: ${String(error)}`));
  postgres = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

async function main() {
  log(`Keywarden bench: ${LICENSES.toLocaleString('en-US')} licenses, ${CONNECTIONS} connections, ${DURATION} s per run (+${WARMUP} s warm-up), ` +
    `server pool ${POOL_MAX}, Postgres ${PG_FAST ? 'fsync/synchronous_commit off' : 'durable (defaults)'}, ${os.cpus().length} CPUs, node ${process.version}, ` +
    `load average ${loadAverage()}`);

  root = mkdtempSync(path.join(os.tmpdir(), 'keywarden-bench-'));
  // As root, Postgres runs as the `postgres` user, which must be able to reach its folder.
  chmodSync(root, 0o755);
  let started = performance.now();
  postgres = await startEmbeddedPostgres({
    dir: path.join(root, 'postgres'),
    port: await freePort(),
    database: 'keywarden_bench',
    settings: PG_FAST ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {},
  });
  const orm = await openOrm({ url: postgres.url });
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  log(`Postgres started and migrated in ${fmt((performance.now() - started) / 1000, 1)} s`);

  const secretBytes = randomBytes(32);
  const secret = new ServerSecret(secretBytes);
  const seeded = await seedLicenses(postgres.url, secret, LICENSES);
  log(`Seeded ${LICENSES.toLocaleString('en-US')} licenses (1 product, 2 plans) in ${fmt(seeded.ms / 1000, 2)} s`);
  started = performance.now();
  await settle(postgres.url);
  log(`Vacuumed and checkpointed in ${fmt((performance.now() - started) / 1000, 1)} s (so autovacuum and the checkpointer stay out of the runs)`);
  const seededSize = await databaseSize(postgres.url);
  log(`Database: ${mib(seededSize.database)} (licenses with their indexes ${mib(seededSize.licenses)}, ${fmt(seededSize.licenses / LICENSES, 0)} bytes a license)`);
  const memory: Array<{ server: string; rss: number; maxRss: number }> = [];

  const { keys } = seeded;
  const hitKeys = keys.slice(0, HIT_KEYS);
  const activatable = seeded.teamIndices.filter((i) => i >= HIT_KEYS).map((i) => keys[i]!);
  const activateWarmupLicenses = Math.min(200, Math.floor(activatable.length / 4));
  const unknownKeys = Array.from({ length: UNKNOWN_KEYS }, () => generateLicenseKey());
  const rows: Row[] = [];
  const floors: Measurement[] = [];
  let hitRun: Measurement | undefined;
  const headerRuns: { with: Measurement[]; without: Measurement[] } = { with: [], without: [] };
  const usageRuns: UsageRuns = { with: [], without: [] };

  // ---- Server A: the cache on, as in production -------------------------------------------
  log('\nServer A: validation cache on');
  started = performance.now();
  const cached = await startServer(postgres.url, secretBytes.toString('base64'), 100_000, POOL_MAX);
  log(`  started in ${fmt((performance.now() - started) / 1000, 1)} s at ${cached.url}`);
  try {
    const stats = await getJson(cached.url, '/bench/stats');
    expect(stats.cacheEnabled === true, 'server A should have its cache on');
    const probe = await post(cached.url, '/bench/noop', {});
    expect(probe.status === 200 && probe.body?.ok === true, `no-op route answered ${probe.status}`);

    // Warm the cache: each hit key validated once.
    for (let from = 0; from < hitKeys.length; from += 50) {
      const answers = await Promise.all(hitKeys.slice(from, from + 50).map((key) => post(cached.url, '/v1/validate', { key })));
      for (const answer of answers) expect(answer.status === 200 && answer.body?.code === 'VALID', `validate answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    if (WARMUP > 0) await load(cached.url, '/bench/noop', NOOP_BUILT_ONCE, WARMUP); // JIT warm-up for the whole process
    await post(cached.url, '/bench/stats/reset', {});

    // Every connection cycles through the same 1,000 cached keys: requests built once.
    const hitBodies = hitKeys.map((key) => JSON.stringify({ key }));
    const hit = await sideBySide('validate (cache hit)', cached.url, '/v1/validate', hitBodies);
    const hitStats = await getJson(cached.url, '/bench/stats');
    const hitRate = hitStats.cacheHits / Math.max(1, hitStats.cacheHits + hitStats.cacheMisses);
    log(`  cache during the hit runs: ${hitStats.cacheHits} hits, ${hitStats.cacheMisses} misses (${fmt(hitRate * 100, 2)}% hits)`);
    // The machine's floor at the same connections, in the same process: the no-op with none of
    // our middleware (the first Koa middleware answers), then with no framework at all.
    floors.push(await measure('floor: Koa, first middleware (no-op)', cached.url, '/bench/floor', NOOP_BUILT_ONCE));
    floors.push(await measure('floor: node:http, no framework (no-op)', cached.floorUrl, '/', NOOP_BUILT_ONCE, { stats: `${cached.url}/bench/stats` }));
    hitRun = hit.endpoint;
    // The route-family headers (nosniff, CORS) on the cache hit: twin apps with them and without
    // them, on two ports of one process, in HEADER_ROUNDS pairs whose order alternates (on-off,
    // off-on, …), so drift in the machine's load falls on both sides alike.
    const headersOn = (round: number) => measure(`cache hit, headers on (${round})`, cached.headersUrl, '/v1/validate', hitBodies, { warmup: round === 1, stats: `${cached.url}/bench/stats` });
    const headersOff = (round: number) => measure(`cache hit, headers off (${round})`, cached.bareUrl, '/v1/validate', hitBodies, { warmup: round === 1, stats: `${cached.url}/bench/stats` });
    for (let round = 1; round <= HEADER_ROUNDS; round += 1) {
      if (round % 2) {
        headerRuns.with.push(await headersOn(round));
        headerRuns.without.push(await headersOff(round));
      } else {
        headerRuns.without.push(await headersOff(round));
        headerRuns.with.push(await headersOn(round));
      }
    }
    // Usage capture on a cache hit: the twin with a usage recorder against the same twin without
    // (headersUrl), in USAGE_ROUNDS pairs whose order alternates.
    const captureOn = (round: number) => measure(`cache hit, capture on (${round})`, cached.usageUrl, '/v1/validate', hitBodies, { warmup: round === 1, stats: `${cached.url}/bench/stats` });
    const captureOff = (round: number) => measure(`cache hit, capture off (${round})`, cached.headersUrl, '/v1/validate', hitBodies, { warmup: false, stats: `${cached.url}/bench/stats` });
    for (let round = 1; round <= USAGE_ROUNDS; round += 1) {
      if (round % 2) {
        usageRuns.with.push(await captureOn(round));
        usageRuns.without.push(await captureOff(round));
      } else {
        usageRuns.without.push(await captureOff(round));
        usageRuns.with.push(await captureOn(round));
      }
    }
    // The last flush lands within 2 s; what was written shows the capture really ran.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    Object.assign(usageRuns, await getJson(cached.url, '/bench/usage'));
    rows.push({
      ...hit,
      target: `≥${TARGET_HIT_RATIO * 100}% & p99<${TARGET_HIT_P99_MS}ms`,
      verdict: hit.endpoint.rps / ((hit.noopBefore.rps + hit.noopAfter.rps) / 2) >= TARGET_HIT_RATIO && hit.endpoint.p99 < TARGET_HIT_P99_MS,
    });

    const unknownProbe = await post(cached.url, '/v1/validate', { key: unknownKeys[0] });
    expect(unknownProbe.status === 200 && unknownProbe.body?.code === 'NOT_FOUND', `unknown key answered ${unknownProbe.status} ${JSON.stringify(unknownProbe.body)}`);
    // Built per request: connections in step would ask about the same unknown key at once, and
    // concurrent look-ups of one key share a single read (LicenseCache.coalesce).
    let unknownIndex = 0;
    const unknown = await sideBySide('validate (unknown key)', cached.url, '/v1/validate', () => JSON.stringify({ key: unknownKeys[unknownIndex++ % unknownKeys.length] }));
    rows.push({ ...unknown, target: '-' });

    // Activation: unique fingerprints over a pool of seat-limited licenses sized from the
    // warm-up's rate so that about half the attempts find the license full (422).
    let fingerprint = 0;
    const activateBody = (pool: string[]) => () => JSON.stringify({ key: pool[Math.floor(Math.random() * pool.length)], fingerprint: `bench-device-${++fingerprint}` });
    const warmPool = activatable.slice(0, activateWarmupLicenses);
    const activateProbe = await post(cached.url, '/v1/activate', { key: warmPool[0], fingerprint: 'bench-probe' });
    expect(activateProbe.status === 201 && activateProbe.body?.code === 'ACTIVATED', `activate answered ${activateProbe.status} ${JSON.stringify(activateProbe.body)}`);
    const warm = summarize('activate warm-up', await load(cached.url, '/v1/activate', activateBody(warmPool), Math.max(WARMUP, 2)));
    const poolSize = Math.min(activatable.length - activateWarmupLicenses, Math.max(50, Math.round((warm.rps * DURATION) / (2 * TEAM_SEAT_LIMIT))));
    const pool = activatable.slice(activateWarmupLicenses, activateWarmupLicenses + poolSize);
    log(`  activation pool: ${poolSize} licenses with ${TEAM_SEAT_LIMIT} seats each (warm-up ran at ${fmt(warm.rps, 0)} req/s)`);
    if (warm.total < warm.sent - CONNECTIONS || warm.total === 0) {
      log(`  activate warm-up: ${warm.sent} sent, ${warm.total} answered; Postgres sessions now: ${await sessionStates(postgres.url)}`);
    }
    const activateNoopBefore = await measure('no-op (before activate)', cached.url, '/bench/noop', NOOP_PER_REQUEST, { warmup: false });
    const activate = await measure('activate', cached.url, '/v1/activate', activateBody(pool), { warmup: false });
    log(`  Postgres sessions right after the activate run: ${await sessionStates(postgres.url)}`);
    const activateNoopAfter = await measure('no-op (after activate)', cached.url, '/bench/noop', NOOP_PER_REQUEST, { warmup: false });
    const accepted = activate.statuses['201'] ?? 0;
    const refused = activate.statuses['422'] ?? 0;
    const unexpected = activate.total - accepted - refused;
    const allocation = await countOverAllocated(postgres.url);
    if (activate.sent - activate.total > CONNECTIONS) {
      log(`  activate: ${activate.sent - activate.total} of ${activate.sent} requests were never answered: the activation path stalled (see the Postgres sessions above)`);
    }
    log(`  activate: ${accepted} accepted (201, ${fmt(accepted / activate.seconds, 0)}/s), ${refused} refused at the seat limit (422), ${unexpected} other; ` +
      `errors ${activate.errors}, timeouts ${activate.timeouts}`);
    log(`  Postgres after activation: ${allocation.liveActivations} live activations on ${allocation.licensesWithActivations} licenses, ` +
      `${allocation.fullLicenses} exactly full; licenses over their seat limit: ${allocation.violations}`);
    rows.push({
      endpoint: activate,
      noopBefore: activateNoopBefore,
      noopAfter: activateNoopAfter,
      target: `≥${fmt(TARGET_ACTIVATIONS_PER_S, 0)}/s & 0 over-alloc (${allocation.violations})`,
      verdict: activate.rps >= TARGET_ACTIVATIONS_PER_S && allocation.violations === 0 && unexpected === 0 && activate.errors === 0,
    });
    memory.push({ server: 'A (cache on)', ...(await getJson(cached.url, '/bench/stats')).memory });
  } finally {
    await cached.stop();
  }

  // ---- Server B: the cache off (cacheMax 0), every validation reads Postgres ----------------
  log('\nServer B: validation cache off (cacheMax 0)');
  const uncached = await startServer(postgres.url, secretBytes.toString('base64'), 0, POOL_MAX);
  try {
    const stats = await getJson(uncached.url, '/bench/stats');
    expect(stats.cacheEnabled === false, 'server B should have its cache off');
    const probe = await post(uncached.url, '/v1/validate', { key: keys[keys.length - 1] });
    expect(probe.status === 200 && probe.body?.code === 'VALID', `validate answered ${probe.status} ${JSON.stringify(probe.body)}`);
    if (WARMUP > 0) await load(uncached.url, '/bench/noop', NOOP_BUILT_ONCE, WARMUP);
    const miss = await sideBySide('validate (cache miss)', uncached.url, '/v1/validate', () => JSON.stringify({ key: keys[Math.floor(Math.random() * keys.length)] }));
    rows.splice(1, 0, { ...miss, target: '-' });
    memory.push({ server: 'B (cache off)', ...(await getJson(uncached.url, '/bench/stats')).memory });
  } finally {
    await uncached.stop();
  }

  log('\nEvery run, in order:');
  for (const run of runner.runs) log(`  ${runner.describe(run)}`);
  log(`\nResults (${CONNECTIONS} connections, ${DURATION} s per run; no-op = mean of the runs right before and after; ratio = endpoint req/s ÷ no-op req/s)\n`);
  log(table(rows));
  if (hitRun) {
    log(`\nFloors: the same load on a no-op without our middleware, and without Koa (what this machine gives any server at ${CONNECTIONS} connections):\n`);
    log(floorsTable(floors, hitRun));
  }
  if (headerRuns.with.length) log(`\n${headerCostLine(headerRuns.with, headerRuns.without)}`);
  if (usageRuns.with.length) log(`\n${usageCaptureLine(usageRuns)}`);
  const finalSize = await databaseSize(postgres.url);
  log(`\nDatabase at the end: ${mib(finalSize.database)} (licenses with their indexes ${mib(finalSize.licenses)}, activations ${mib(finalSize.activations)}); ` +
    `after seeding: ${mib(seededSize.database)}`);
  for (const { server, rss, maxRss } of memory) log(`API RSS, server ${server}: ${mib(rss)} after its runs, peak ${mib(maxRss)}`);
  log(`\nCPU µs/req: the server process's CPU time per response. CPU ratio = no-op CPU/req ÷ endpoint CPU/req: the throughput ratio`);
  log(`to expect while the server's event loop is saturated; less sensitive to other load on the machine than req/s (informational;`);
  log(`PASS/FAIL uses the measured ratio). Load average at the end: ${loadAverage()}`);
}

/**
 * What the route-family headers cost a cache hit, from the rounds' pairs: the median of each
 * pair's ratio (throughput off ÷ on, CPU per request on ÷ off), which one slow run on a shared
 * machine moves less than a mean would. Target: at most 2%.
 */
function headerCostLine(on: Measurement[], off: Measurement[]): string {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const cpu = (run: Measurement) => ((run.serverCpuMs ?? 0) * 1000) / Math.max(1, run.total);
  const throughputCost = median(on.map((run, i) => 1 - run.rps / off[i]!.rps));
  const cpuCost = median(on.map((run, i) => cpu(run) / cpu(off[i]!) - 1));
  const list = (runs: Measurement[], value: (run: Measurement) => number, digits: number) => runs.map((run) => fmt(value(run), digits)).join(', ');
  return `Security headers on a cache hit (${on.length} pairs, order alternating): on ${list(on, (run) => run.rps, 0)} req/s, ${list(on, cpu, 0)} µs CPU/req; ` +
    `off ${list(off, (run) => run.rps, 0)} req/s, ${list(off, cpu, 0)} µs CPU/req. Median cost per pair: ${fmt(throughputCost * 100, 1)}% of throughput, ` +
    `${fmt(cpuCost * 100, 1)}% of server CPU per request (target ≤ 2%: ${throughputCost <= 0.02 ? 'PASS' : 'FAIL'})`;
}

/**
 * Usage capture's cost on a cache hit: each pair's throughput ratio (capture on ÷ off), and
 * their median, against the target (≥ 90%).
 */
interface UsageRuns {
  with: Measurement[];
  without: Measurement[];
  written?: number;
  dropped?: number;
  failedFlushes?: number;
}

function usageCaptureLine(runs: UsageRuns): string {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const cpu = (run: Measurement) => ((run.serverCpuMs ?? 0) * 1000) / Math.max(1, run.total);
  const ratios = runs.with.map((run, i) => run.rps / runs.without[i]!.rps);
  const cpuRatios = runs.with.map((run, i) => cpu(runs.without[i]!) / cpu(run));
  const throughput = median(ratios);
  const list = (values: number[], digits: number) => values.map((value) => fmt(value, digits)).join(', ');
  return `Usage capture on a cache hit (${ratios.length} pairs, order alternating): on ${list(runs.with.map((run) => run.rps), 0)} req/s, ${list(runs.with.map(cpu), 0)} µs CPU/req; ` +
    `off ${list(runs.without.map((run) => run.rps), 0)} req/s, ${list(runs.without.map(cpu), 0)} µs CPU/req; throughput ratio per pair ${list(ratios.map((r) => r * 100), 1)}%. ` +
    `Median ${fmt(throughput * 100, 1)}% of the throughput without capture (target ≥ ${TARGET_USAGE_RATIO * 100}%: ${throughput >= TARGET_USAGE_RATIO ? 'PASS' : 'FAIL'}); ` +
    `CPU ratio (off ÷ on per request) ${fmt(median(cpuRatios) * 100, 1)}%; ` +
    `${runs.written ?? 0} usage rows written, ${runs.failedFlushes ?? 0} failed flushes, ${runs.dropped ?? 0} calls dropped at the cap`;
}

const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;

const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  log('\ninterrupted: stopping the server and Postgres');
  cleanUp().finally(() => process.exit(130));
});

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error('bench failed:', error);
} finally {
  if (!interrupted) await cleanUp();
}
