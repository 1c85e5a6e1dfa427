import Router from '@koa/router';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody } from '../http/body.ts';
import { validateLicense, validateRequestSchema } from './validate-license.ts';

/** Client endpoints: authenticated by the license key itself. */
export function validationRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1' });
  router.post('/validate', async (ctx) => {
    const request = await parseBody(ctx, validateRequestSchema);
    ctx.body = await validateLicense(deps.em, deps.secret, request);
  });
  return router;
}
