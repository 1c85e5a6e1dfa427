import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody } from '../http/body.ts';
import { normalizeLicenseKey } from '../../lib/license-key.ts';
import { validateLicense, validateRequestSchema } from '../validation/validate-license.ts';
import { clientLicenseView } from '../validation/validate-license.ts';
import { activateLicense, activateRequestSchema } from './activate-license.ts';
import { deactivateActivation, deactivateRequestSchema } from './deactivate-activation.ts';
import { isRejection, type Rejection } from './locked-license.ts';
import { renewLease, heartbeatRequestSchema } from './renew-lease.ts';

/** A refusal the client can act on: 422 with the same code and detail as a validation (404 for an unknown key). */
function answerRejection(ctx: Context, rejection: Rejection) {
  ctx.status = rejection.code === 'NOT_FOUND' ? 404 : 422;
  ctx.body = { valid: false, code: rejection.code, detail: rejection.detail };
}

/** Client endpoints: authenticated by the license key itself, rate limited per IP and per key. */
export function clientRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1' });
  const limiter = deps.rateLimiter;

  async function admit(ctx: Context, key: string) {
    await limiter.admitIp(ctx);
    await limiter.admitKey(deps.secret.lookupHash(normalizeLicenseKey(key)));
  }

  router.post('/validate', async (ctx) => {
    const request = await parseBody(ctx, validateRequestSchema);
    await admit(ctx, request.key);
    const result = await validateLicense(deps, request, ctx.ip);
    if (!result.licenseId) await limiter.recordUnknownKey(ctx.ip);
    ctx.body = result.body;
  });

  router.post('/activate', async (ctx) => {
    const request = await parseBody(ctx, activateRequestSchema);
    await admit(ctx, request.key);
    const result = await activateLicense(deps, request, ctx.ip);
    if (isRejection(result)) {
      if (result.code === 'NOT_FOUND') await limiter.recordUnknownKey(ctx.ip);
      return answerRejection(ctx, result);
    }
    ctx.status = result.created ? 201 : 200;
    ctx.body = { valid: true, code: 'ACTIVATED', detail: result.created ? 'Device activated.' : 'Device already active.', activation: result.activation, license: clientLicenseView(result.license, result.seatsInUse) };
  });

  router.post('/deactivate', async (ctx) => {
    const request = await parseBody(ctx, deactivateRequestSchema);
    await admit(ctx, request.key);
    const result = await deactivateActivation(deps, request);
    if (isRejection(result)) return answerRejection(ctx, result);
    ctx.body = { code: 'DEACTIVATED', detail: 'Device deactivated; its seat is free.', activation: { id: result.activationId }, license: clientLicenseView(result.license, result.seatsInUse) };
  });

  router.post('/heartbeat', async (ctx) => {
    const request = await parseBody(ctx, heartbeatRequestSchema);
    await admit(ctx, request.key);
    const result = await renewLease(deps, request);
    if (isRejection(result)) return answerRejection(ctx, result);
    ctx.body = { code: 'LEASE_RENEWED', detail: 'Heartbeat recorded.', activation: { id: result.activationId, lease_expires_at: result.leaseExpiresAt?.toISOString() ?? null } };
  });

  return router;
}
