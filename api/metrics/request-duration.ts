import type { Context, Next } from 'koa';
import type { ApiMetrics } from './api-metrics.ts';

/**
 * The client endpoints that carry nearly all the traffic. They are left out of the duration
 * histogram rather than timed: a benchmarked cache hit costs a few tens of microseconds, and two
 * clock reads, a label object and a histogram observation (prom-client hashes the labels and
 * walks the buckets) would be a measurable share of it. They have their own counters
 * (keywarden_validations_total, keywarden_activations_total); their latency is what a load
 * balancer or the bench measures. /v1/deactivate is rare and has no counter, so it is timed.
 */
export const UNTIMED_PATHS = new Set(['/v1/validate', '/v1/activate', '/v1/heartbeat']);

/**
 * Observes each request's duration by method, matched route pattern (`/v1/licenses/:id`: never
 * the raw path, which carries ids) and final status. Mounted outside the problem middleware so
 * problems are counted under the status they were answered with.
 */
export function requestDuration(metrics: ApiMetrics) {
  const histogram = metrics.httpDuration;
  const timed = async (ctx: Context, next: Next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = ctx._matchedRoute;
      histogram.observe({ method: ctx.method, route: route === undefined ? 'unmatched' : String(route), status: String(ctx.status) }, (performance.now() - started) / 1000);
    }
  };
  // The untimed client endpoints go straight through, without an async frame of this middleware's own.
  return (ctx: Context, next: Next) => (UNTIMED_PATHS.has(ctx.path) ? next() : timed(ctx, next));
}
