/** Load runs with autocannon: each measured with the server's and the load generator's CPU. */
import autocannon, { type Result } from 'autocannon';
import { cpuPerRequest, fmt, type Measurement } from './report.ts';

interface ServerStats {
  cacheHits: number;
  cacheMisses: number;
  cacheEnabled: boolean;
  cpu: { user: number; system: number };
  elu: { idle: number; active: number; utilization: number };
}

export interface LoadSettings {
  connections: number;
  /** Seconds per measured run, and of the warm-up run before it. */
  duration: number;
  warmup: number;
  log(line: string): void;
}

/**
 * What a run sends. A list: every connection sends these bodies in this order, over and over,
 * as requests autocannon builds once (the cheapest for the load generator, which shares the
 * machine's cores with the server). A function: a body made for each request, when requests
 * must differ across connections (a key chosen at random, a fingerprint never sent before);
 * autocannon then builds every request anew, which costs it about 15–40 µs of CPU per request.
 */
export type Bodies = readonly string[] | (() => string);

const NOOP_BODY = '{"key":"KW-0000-0000-0000-0000-0000-0000"}';

/** The no-op route's body, in requests built once, or built for each request. */
export const NOOP_BUILT_ONCE: Bodies = [NOOP_BODY];
export const NOOP_PER_REQUEST: Bodies = () => NOOP_BODY;

/** The no-op sent the same way as the endpoint it is compared with. */
const noopLike = (bodies: Bodies): Bodies => (typeof bodies === 'function' ? NOOP_PER_REQUEST : NOOP_BUILT_ONCE);

export async function getJson(base: string, route: string): Promise<any> {
  const response = await fetch(base + route);
  return response.json();
}

export async function post(base: string, route: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The server process's stats (CPU, event-loop use) from its stats URL. */
const serverStats = (url: string): Promise<ServerStats> => getJson(url, '');

/** Runs load against one server, remembering every measurement in order. */
export class LoadRunner {
  readonly settings: LoadSettings;
  readonly runs: Measurement[] = [];
  #current: ReturnType<typeof autocannon> | undefined;

  constructor(settings: LoadSettings) {
    this.settings = settings;
  }

  /** POSTs `bodies` to `route` for `seconds`. */
  async load(base: string, route: string, bodies: Bodies, seconds: number): Promise<Result> {
    const headers = { 'content-type': 'application/json' };
    const instance = autocannon({
      url: base,
      connections: this.settings.connections,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
      requests:
        typeof bodies === 'function'
          ? [{ method: 'POST', path: route, headers, setupRequest: (request) => ({ ...request, body: bodies() }) }]
          : bodies.map((body) => ({ method: 'POST', path: route, headers, body })),
    });
    this.#current = instance;
    try {
      return await instance;
    } finally {
      this.#current = undefined;
    }
  }

  /** Stops the run under way (on the way out). */
  stop(): void {
    this.#current?.stop();
  }

  /**
   * A warm-up run (unless `warmup: false`), then a measured one. `stats`: the URL of the
   * server process's stats (CPU and event-loop use); default `<base>/bench/stats`.
   */
  async measure(label: string, base: string, route: string, body: Bodies, options: { warmup?: boolean; stats?: string } = {}): Promise<Measurement> {
    const { duration, warmup } = this.settings;
    if (options.warmup !== false && warmup > 0) await this.load(base, route, body, warmup);
    const statsUrl = options.stats ?? `${base}/bench/stats`;
    const before = await serverStats(statsUrl);
    const ownCpu = process.cpuUsage();
    const started = performance.now();
    const result = await this.load(base, route, body, duration);
    const own = process.cpuUsage(ownCpu);
    const elapsedMs = performance.now() - started;
    const measurement = summarize(label, result);
    measurement.loadCpu = (own.user + own.system) / 1000 / elapsedMs;
    const after = await serverStats(statsUrl);
    measurement.serverCpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
    const active = after.elu.active - before.elu.active;
    const idle = after.elu.idle - before.elu.idle;
    measurement.serverElu = active + idle > 0 ? active / (active + idle) : 0;
    this.runs.push(measurement);
    this.settings.log(`  ${this.describe(measurement)}`);
    return measurement;
  }

  /** The endpoint, with the no-op route measured right before and right after it, its requests built the same way. */
  async sideBySide(label: string, base: string, route: string, body: Bodies) {
    const noopBefore = await this.measure(`no-op (before ${label})`, base, '/bench/noop', noopLike(body));
    const endpoint = await this.measure(label, base, route, body);
    const noopAfter = await this.measure(`no-op (after ${label})`, base, '/bench/noop', noopLike(body), { warmup: false });
    return { endpoint, noopBefore, noopAfter };
  }

  describe(run: Measurement): string {
    const statuses = Object.entries(run.statuses).map(([code, n]) => `${code}×${n}`).join(' ') || 'no responses';
    const unanswered = run.sent - run.total;
    const trouble = [
      run.errors ? `errors ${run.errors}` : '',
      run.timeouts ? `timeouts ${run.timeouts}` : '',
      unanswered > this.settings.connections ? `${unanswered} sent but never answered` : '',
    ].filter(Boolean).join(', ');
    const server = run.serverCpuMs === undefined ? '' : `  server CPU ${cpuPerRequest(run)} µs/req, loop ${fmt((run.serverElu ?? 0) * 100, 0)}% busy`;
    const loader = run.loadCpu === undefined ? '' : `, load generator ${fmt(run.loadCpu * 100, 0)}% of a core`;
    return `${run.label.padEnd(38)} ${fmt(run.rps, 0).padStart(7)} req/s  p50 ${fmt(run.p50, 1).padStart(5)} ms  p99 ${fmt(run.p99, 1).padStart(6)} ms${server}${loader}  [${statuses}]${trouble ? `  ${trouble}` : ''}`;
  }
}

export function summarize(label: string, result: Result): Measurement {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total, sent: result.requests.sent, seconds: result.duration, statuses, errors: result.errors, timeouts: result.timeouts };
}
