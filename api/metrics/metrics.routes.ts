import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiDependencies } from '../dependencies.ts';
import type { ApiMetrics } from './api-metrics.ts';

/**
 * GET /metrics: the Prometheus text exposition. It needs an admin token with `licenses:read`
 * (or `admin`), unless METRICS_PUBLIC=true serves it without one (for a scraper on a private
 * network that cannot send a token): `api/auth/route-rules.ts` says so.
 */
export function metricsRoutes(deps: ApiDependencies & { metrics: ApiMetrics }): Router {
  const router = new Router();
  const { registry } = deps.metrics;
  const scrape = async (ctx: Context) => {
    const body = await registry.metrics();
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Type', registry.contentType);
    ctx.body = body;
  };
  // Access (a token with `licenses:read`, or none with METRICS_PUBLIC) is the route table's rule.
  router.get('/metrics', scrape);
  return router;
}
