import Router from '@koa/router';
import { createApiToken } from '../../domain/tokens/create-api-token.ts';
import { revokeApiToken } from '../../domain/tokens/revoke-api-token.ts';
import { ApiToken } from '../../schema/auth/api-token.entity.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { actingOf } from '../staff/acting.ts';
import { apiTokenResource } from '../staff/identity-resources.ts';
import { apiTokenListQuery, createApiTokenRequest, revokeApiTokenQuery } from '../staff/identity-requests.ts';

/** API tokens as objects: create (the secret shown once), list, read, revoke. */
export function apiTokenRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/api-tokens' });
  router.use(refusalsAsProblems);

  router.get('/', async (ctx) => {
    const query = parseWith(apiTokenListQuery, ctx.query);
    const where = { ...(query.staff_id ? { staffMember: query.staff_id } : {}), ...(query.include_revoked ? {} : { revokedAt: null }) };
    ctx.body = await paginate(deps.em, ApiToken, where, query, apiTokenResource);
  });

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, createApiTokenRequest);
    const principal = principalOf(ctx);
    const { token, record } = await createApiToken(
      deps,
      { name: input.name, scopes: input.scopes, expiresAt: input.expires_at ? new Date(input.expires_at) : null, staffId: input.staff_id, service: input.service },
      { ...actingOf(principal), scopes: principal.scopes, staffId: principal.staff?.id ?? null },
    );
    ctx.status = 201;
    ctx.set('Location', `/v1/api-tokens/${record.id}`);
    ctx.set('Cache-Control', 'no-store');
    // The only time the token is ever shown.
    ctx.body = { ...apiTokenResource(record), token };
  });

  router.get('/:id', async (ctx) => {
    const token = await deps.em.fork().findOne(ApiToken, { id: parseWith(idParam, ctx.params.id) });
    if (!token) throw new Problem('API_TOKEN_NOT_FOUND', `no API token with id ${ctx.params.id}`);
    ctx.body = apiTokenResource(token);
  });

  router.delete('/:id', async (ctx) => {
    const { reason } = parseWith(revokeApiTokenQuery, ctx.query);
    ctx.body = apiTokenResource(await revokeApiToken(deps.em, parseWith(idParam, ctx.params.id), actingOf(principalOf(ctx)), reason ?? null));
  });

  return router;
}
