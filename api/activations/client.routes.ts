import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiDependencies } from '../dependencies.ts';
import { parseClientBody } from './client-body.ts';
import { HotPathDb } from '../../lib/hot-path-db.ts';
import { signAnswer } from '../validation/sign-answer.ts';
import { answerKeyDigest } from '../../domain/signing/detached-jws.ts';
import { answerSigned, sendSigned } from '../signing/signed-reply.ts';
import type { SigningKeyring } from '../../domain/signing/signing-keyring.ts';
import type { ApiMetrics } from '../metrics/api-metrics.ts';
import { validateLicense, validateRequestSchema } from '../validation/validate-license.ts';
import { clientLicenseView } from '../validation/validate-license.ts';
import { activateSeat, activateRequestSchema, activationSnapshots } from '../../domain/seats/activate-seat.ts';
import { ActivationBatcher } from '../../domain/seats/activation-batch.ts';
import { deactivateSeat, deactivateRequestSchema } from '../../domain/seats/deactivate-seat.ts';
import { KeyHashes } from './key-hashes.ts';
import { isRejection, type Rejection } from '../../domain/seats/locked-license.ts';
import { renewLease, heartbeatRequestSchema } from '../../domain/seats/renew-lease.ts';
import { clientCall } from '../usage/client-call.ts';

/** What a seat call (activate, deactivate, heartbeat) answers about: the key's digest (`kwk`), the machine, the request's nonce, the decision's time. */
interface SeatCall {
  keyHash: string;
  keyDigest: string;
  /** The fingerprint as read (trimmed): echoed as the answer's signed `scope`. */
  fingerprint: string;
  nonce: string | undefined;
  now: Date;
}

/** A refusal the client can act on: 422 with the same code and detail as a validation (404 for an unknown key). */
function rejectionAnswer(rejection: Rejection): [number, object] {
  return [rejection.code === 'NOT_FOUND' ? 404 : 422, { valid: false, code: rejection.code, detail: rejection.detail }];
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
  // Usage capture (USAGE_CAPTURE): one in-memory aggregate per replica, written in batches.
  const usage = deps.usage;

  /** Rate limits the call (by IP, then by key) and returns the key's lookup hash. */
  function admit(ctx: Context, key: string, digest?: string): string {
    const keyHash = keyHashes.lookupHash(key, digest);
    limiter.admit(ctx.ip, keyHash);
    return keyHash;
  }

  /** Admits a seat call; its answer will be bound to the key as sent (`kwk`) and echo its nonce. */
  function seatCall(ctx: Context, request: { key: string; fingerprint: string; nonce?: string }): SeatCall {
    const keyDigest = answerKeyDigest(request.key);
    return { keyHash: admit(ctx, request.key, keyDigest), keyDigest, fingerprint: request.fingerprint, nonce: request.nonce, now: new Date() };
  }

  /**
   * Signs and sends a seat call's answer (success or refusal), with the machine it was decided
   * for (`scope`), its nonce and the decision's time (`ts`) added.
   */
  function answerSeat(ctx: Context, call: SeatCall, [status, body]: [number, object]): Promise<void> {
    const signed = { ...body, scope: { fingerprint: call.fingerprint }, ...(call.nonce ? { nonce: call.nonce } : {}), ts: call.now.toISOString() };
    return answerSigned(ctx, keyring, status, signed, call.keyDigest);
  }

  /**
   * A seat call's refusal. An unknown key counts toward the address's unknown-key limit, as on
   * validate: each of these routes tells a known key (422) from an unknown one (404).
   */
  function refuseSeat(ctx: Context, call: SeatCall, rejection: Rejection): Promise<void> {
    if (rejection.code === 'NOT_FOUND') limiter.recordUnknownKey(ctx.ip);
    return answerSeat(ctx, call, rejectionAnswer(rejection));
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
    usage?.record(clientCall(ctx, 'validation', result.code, { licenseId: result.licenseId }, request));
    if (!keyring.ready) await keyring.load();
    // The exact bytes sent are the bytes signed, with the key's digest in the protected header.
    sendSigned(ctx, 200, signAnswer(keyring.signer(), result, keyDigest, Date.now()));
  });

  router.post('/activate', async (ctx) => {
    const request = await parseClientBody(ctx, activateRequestSchema);
    const call = seatCall(ctx, request);
    const result = await activateSeat(activation, request, ctx.ip, call.keyHash, call.now);
    if (isRejection(result)) {
      activations[result.code] += 1;
      usage?.record(clientCall(ctx, 'activation', result.code, call, request));
      return refuseSeat(ctx, call, result);
    }
    activations[result.created ? 'created' : 'existing'] += 1;
    usage?.record(clientCall(ctx, 'activation', 'ACTIVATED', { licenseId: result.license.id }, request));
    const detail = result.created ? 'Device activated.' : 'Device already active.';
    // `created` is signed (the HTTP status is not): whether this call took the seat.
    const body = { valid: true, code: 'ACTIVATED', detail, created: result.created, activation: result.activation, license: clientLicenseView(result.license, result.seatsInUse) };
    return answerSeat(ctx, call, [result.created ? 201 : 200, body]);
  });

  router.post('/deactivate', async (ctx) => {
    const request = await parseClientBody(ctx, deactivateRequestSchema);
    const call = seatCall(ctx, request);
    const result = await deactivateSeat(deps, request, call.keyHash, call.now);
    usage?.record(clientCall(ctx, 'deactivation', isRejection(result) ? result.code : 'DEACTIVATED', isRejection(result) ? call : { licenseId: result.license.id }, request));
    if (isRejection(result)) return refuseSeat(ctx, call, result);
    const body = { code: 'DEACTIVATED', detail: 'Device deactivated; its seat is free.', activation: { id: result.activationId }, license: clientLicenseView(result.license, result.seatsInUse) };
    return answerSeat(ctx, call, [200, body]);
  });

  router.post('/heartbeat', async (ctx) => {
    const request = await parseClientBody(ctx, heartbeatRequestSchema);
    const call = seatCall(ctx, request);
    const result = await renewLease(deps, request, call.keyHash, call.now);
    usage?.record(clientCall(ctx, 'heartbeat', isRejection(result) ? result.code : 'LEASE_RENEWED', call, request));
    if (isRejection(result)) return refuseSeat(ctx, call, result);
    const body = { code: 'LEASE_RENEWED', detail: 'Heartbeat recorded.', activation: { id: result.activationId, lease_expires_at: result.leaseExpiresAt?.toISOString() ?? null } };
    return answerSeat(ctx, call, [200, body]);
  });

  return router;
}
