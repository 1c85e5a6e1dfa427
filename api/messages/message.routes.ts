import Router from '@koa/router';
import { retryOutboxMessage } from '../../domain/outbox/retry-outbox-message.ts';
import { sendOutboxMessageNow } from '../../domain/outbox/send-outbox-message-now.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { actingOf } from '../staff/acting.ts';
import { getMessage, listLicenseMessages, listLicenseMessagesQuery, listMessages, listMessagesQuery, retryMessageRequest } from './list-messages.ts';

/** The outbox: every outbound message, its recipient, status, attempts and provider id; a staff retry of one that ended unsent, and "send now" of one waiting to try again. */
export function messageRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1' });
  router.use(refusalsAsProblems);

  router.get('/messages', async (ctx) => {
    ctx.body = await listMessages(deps.em, parseWith(listMessagesQuery, ctx.query));
  });

  router.get('/messages/:id', async (ctx) => {
    ctx.body = await getMessage(deps.em, parseWith(idParam, ctx.params.id));
  });

  router.post('/messages/:id/retry', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, retryMessageRequest);
    await retryOutboxMessage({ em: deps.em, deliveries: deps.lifecycle }, id, reason, actingOf(principalOf(ctx)));
    ctx.status = 202;
    ctx.body = await getMessage(deps.em, id);
  });

  router.post('/messages/:id/send-now', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, retryMessageRequest);
    await sendOutboxMessageNow({ em: deps.em, deliveries: deps.lifecycle }, id, reason, actingOf(principalOf(ctx)));
    ctx.status = 202;
    ctx.body = await getMessage(deps.em, id);
  });

  router.get('/licenses/:id/messages', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    ctx.body = await listLicenseMessages(deps.em, id, parseWith(listLicenseMessagesQuery, ctx.query));
  });
  return router;
}
