import Router from '@koa/router';
import { SigningKey } from '../../schema/signing/signing-key.entity.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { principalOf } from '../auth/principal.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { reasonBody } from '../http/reason-body.ts';
import { actingOf } from '../staff/acting.ts';
import { idParam } from '../http/resources.ts';
import { retireSigningKey } from '../../domain/signing/retire-signing-key.ts';
import { rotateSigningKey } from '../../domain/signing/rotate-signing-key.ts';
import { signingKeyResource } from './signing-key.resource.ts';
import type { SigningKeyring } from '../../domain/signing/signing-keyring.ts';

/** GET /.well-known/jwks.json (public), and the admin endpoints that list, rotate and retire keys. */
export function signingKeyRoutes(deps: ApiDependencies & { signingKeys: SigningKeyring }): Router {
  const router = new Router();
  const keyring = deps.signingKeys;

  router.get('/.well-known/jwks.json', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = await keyring.jwks();
  });

  router.get('/v1/signing-keys', async (ctx) => {
    await keyring.load();
    const keys = await deps.em.fork().find(SigningKey, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
    ctx.body = { data: keys.map(signingKeyResource) };
  });

  router.post('/v1/signing-keys/rotate', async (ctx) => {
    const { reason } = await parseBody(ctx, reasonBody);
    await keyring.load();
    const key = await rotateSigningKey(deps.em, deps.secret, actingOf(principalOf(ctx)), reason ?? null);
    await keyring.reload();
    ctx.status = 201;
    ctx.body = signingKeyResource(key);
  });

  router.post('/v1/signing-keys/:id/retire', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, reasonBody);
    const key = await retireSigningKey(deps.em, id, actingOf(principalOf(ctx)), reason ?? null);
    await keyring.reload();
    ctx.body = signingKeyResource(key);
  });

  return router;
}
