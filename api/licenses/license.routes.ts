import Router from '@koa/router';
import { z } from 'zod';
import type { AdminPrincipal } from '../auth/require-scope.ts';
import { requireScope } from '../auth/require-scope.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { createLicense, createLicenseSchema } from './create-license.ts';
import { getLicense } from './get-license.ts';
import { licenseResource } from './license.resource.ts';
import { revokeLicense, revokeLicenseSchema } from './revoke-license.ts';

const licenseId = z.uuid({ message: 'must be a license id (UUID)' });

/** Admin endpoints for licenses. Handlers parse, call a service, and shape the answer. */
export function licenseRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/licenses' });
  const read = requireScope(deps.em, deps.secret, 'licenses:read');
  const write = requireScope(deps.em, deps.secret, 'licenses:write');

  router.post('/', write, async (ctx) => {
    const input = await parseBody(ctx, createLicenseSchema);
    const principal = ctx.state.principal as AdminPrincipal;
    const { license, key } = await createLicense(deps, input, principal.actor);
    ctx.status = 201;
    ctx.set('Location', `/v1/licenses/${license.id}`);
    // The only time the raw key is ever shown.
    ctx.body = { ...licenseResource(license), key };
  });

  router.get('/:id', read, async (ctx) => {
    ctx.body = await getLicense(deps.em, parseWith(licenseId, ctx.params.id));
  });

  router.post('/:id/revoke', write, async (ctx) => {
    const id = parseWith(licenseId, ctx.params.id);
    const { reason } = await parseBody(ctx, revokeLicenseSchema);
    const principal = ctx.state.principal as AdminPrincipal;
    await revokeLicense(deps, id, reason, principal.actor);
    ctx.body = await getLicense(deps.em, id);
  });

  return router;
}
