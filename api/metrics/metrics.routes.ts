import Router from '@koa/router';
import type { Context } from 'koa';
import { requireScope } from '../auth/require-scope.ts';
import type { ApiDependencies } from '../dependencies.ts';
import type { ApiMetrics } from './api-metrics.ts';

/**
 * GET /metrics: the Prometheus text exposition. It needs an admin token with `licenses:read`
 * (or `admin`), unless METRICS_PUBLIC=true serves it without one (for a scraper on a private
 * network that cannot send a token).
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
  if (deps.metricsPublic) router.get('/metrics', scrape);
  else router.get('/metrics', requireScope(deps.em, deps.secret, 'licenses:read'), scrape);
  return router;
}
