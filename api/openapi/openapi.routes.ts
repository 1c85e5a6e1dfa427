import Router from '@koa/router';
import { openApiDocument } from './document.ts';

/** GET /openapi.json: the OpenAPI 3.1 document of this API, built and serialised once. */
export function openApiRoutes(): Router {
  const router = new Router();
  const body = JSON.stringify(openApiDocument());
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return router;
}
