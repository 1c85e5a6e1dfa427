import Router from '@koa/router';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { idParam } from '../http/resources.ts';
import { listLicenseMessages, listLicenseMessagesQuery, listMessages, listMessagesQuery } from './list-messages.ts';

/** The outbox, read-only: every outbound message, its recipient, status, attempts and provider id. */
export function messageRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1' });

  router.get('/messages', async (ctx) => {
    ctx.body = await listMessages(deps.em, parseWith(listMessagesQuery, ctx.query));
  });

  router.get('/licenses/:id/messages', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    ctx.body = await listLicenseMessages(deps.em, id, parseWith(listLicenseMessagesQuery, ctx.query));
  });
  return router;
}
