import Router from '@koa/router';
import type { ApiDependencies } from '../dependencies.ts';
import { checkReadiness } from './readiness.ts';

export function healthRoutes(deps: ApiDependencies): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const { ready, components } = await checkReadiness(deps.em, deps.lifecycle, undefined, deps.databaseOutage);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', components };
  });
  return router;
}
