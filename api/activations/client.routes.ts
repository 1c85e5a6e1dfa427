import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiDependencies } from '../dependencies.ts';
import { parseClientBody } from './client-body.ts';
import { HotPathDb } from '../validation/hot-path-db.ts';
import { SIGNATURE_HEADER, signAnswer } from '../validation/sign-answer.ts';
import { answerKeyDigest } from '../signing/detached-jws.ts';
import type { SigningKeyring } from '../signing/signing-keyring.ts';
import type { ApiMetrics } from '../metrics/api-metrics.ts';
import { validateLicense, validateRequestSchema } from '../validation/validate-license.ts';
import { clientLicenseView } from '../validation/validate-license.ts';
import { activateLicense, activateRequestSchema, activationSnapshots } from './activate-license.ts';
import { ActivationBatcher } from './activation-batch.ts';
import { deactivateActivation, deactivateRequestSchema } from './deactivate-activation.ts';
import { KeyHashes } from './key-hashes.ts';
import { isRejection, type Rejection } from './locked-license.ts';
import { renewLease, heartbeatRequestSchema } from './renew-lease.ts';

/** A refusal the client can act on: 422 with the same code and detail as a validation (404 for an unknown key). */
function answerRejection(ctx: Context, rejection: Rejection) {
  ctx.status = rejection.code === 'NOT_FOUND' ? 404 : 422;
  ctx.body = { valid: false, code: rejection.code, detail: rejection.detail };
}

/** Client endpoints: authenticated by the license key itself, rate limited per IP and per key. */
export function clientRoutes(deps: ApiDependencies & { signingKeys: SigningKeyring; metrics: ApiMetrics }): Router {
  const router = new Router({ prefix: '/v1' });
  const limiter = deps.rateLimiter;
  const db = deps.hotPath ?? HotPathDb.fromEntityManager(deps.em);
  const validation = { cache: deps.cache, db };
  const activation = { cache: deps.cache, db, batcher: new ActivationBatcher(db), snapshots: activationSnapshots() };
  const keyHashes = new KeyHashes(deps.secret);
  const keyring = deps.signingKeys;
  // Plain integer tallies read by prom-client on scrape (api/metrics/tally-counter.ts): `+= 1` is all the hot path pays.
  const { validations, activations } = deps.metrics;

  /** Rate limits the call (by IP, then by key) and returns the key's lookup hash. */
  function admit(ctx: Context, key: string, digest?: string): string {
    const keyHash = keyHashes.lookupHash(key, digest);
    limiter.admit(ctx.ip, keyHash);
    return keyHash;
  }

  router.post('/validate', async (ctx) => {
    const request = await parseClientBody(ctx, validateRequestSchema);
    // SHA-256 of the key as sent: the lookup-hash memo's index, and the `kwk` that binds the signed answer to this key.
    const keyDigest = answerKeyDigest(request.key);
    const keyHash = admit(ctx, request.key, keyDigest);
    const pending = validateLicense(validation, request, ctx.ip, keyHash);
    const result = pending instanceof Promise ? await pending : pending;
    validations[result.code] += 1;
    if (!result.licenseId) limiter.recordUnknownKey(ctx.ip);
    else deps.validationCounter?.count(result.licenseId);
    if (!keyring.ready) await keyring.load();
    // The exact bytes sent are the bytes signed, with the key's digest in the protected header.
    const signed = signAnswer(keyring.signer(), result, keyDigest, Date.now());
    ctx.set(SIGNATURE_HEADER, signed.signature);
    // What `ctx.body = object` would send, serialised ahead (Koa's type lookup skipped too).
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    ctx.body = signed.json;
  });

  router.post('/activate', async (ctx) => {
    const request = await parseClientBody(ctx, activateRequestSchema);
    const result = await activateLicense(activation, request, ctx.ip, admit(ctx, request.key));
    if (isRejection(result)) {
      activations[result.code] += 1;
      if (result.code === 'NOT_FOUND') limiter.recordUnknownKey(ctx.ip);
      return answerRejection(ctx, result);
    }
    activations[result.created ? 'created' : 'existing'] += 1;
    ctx.status = result.created ? 201 : 200;
    ctx.body = { valid: true, code: 'ACTIVATED', detail: result.created ? 'Device activated.' : 'Device already active.', activation: result.activation, license: clientLicenseView(result.license, result.seatsInUse) };
  });

  router.post('/deactivate', async (ctx) => {
    const request = await parseClientBody(ctx, deactivateRequestSchema);
    const result = await deactivateActivation(deps, request, admit(ctx, request.key));
    if (isRejection(result)) return answerRejection(ctx, result);
    ctx.body = { code: 'DEACTIVATED', detail: 'Device deactivated; its seat is free.', activation: { id: result.activationId }, license: clientLicenseView(result.license, result.seatsInUse) };
  });

  router.post('/heartbeat', async (ctx) => {
    const request = await parseClientBody(ctx, heartbeatRequestSchema);
    const result = await renewLease(deps, request, admit(ctx, request.key));
    if (isRejection(result)) return answerRejection(ctx, result);
    ctx.body = { code: 'LEASE_RENEWED', detail: 'Heartbeat recorded.', activation: { id: result.activationId, lease_expires_at: result.leaseExpiresAt?.toISOString() ?? null } };
  });

  return router;
}
