import type { Context } from 'koa';
import { SIGNATURE_HEADER } from '../validation/sign-answer.ts';
import type { SigningKeyring } from '../../domain/signing/signing-keyring.ts';

/**
 * Sends these exact JSON bytes with their detached JWS in `Keywarden-Signature`. The body is
 * set as a string, with the type set ahead: what `ctx.body = object` would send, except that
 * the bytes sent are the bytes signed.
 */
export function sendSigned(ctx: Context, status: number, signed: { json: string; signature: string }): void {
  ctx.status = status;
  ctx.set(SIGNATURE_HEADER, signed.signature);
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.body = signed.json;
}

/** Serialises a JSON answer, signs it with the keyring's active key, bound to the key whose digest is `keyDigest`, and sends it. */
export async function answerSigned(ctx: Context, keyring: SigningKeyring, status: number, body: object, keyDigest: string): Promise<void> {
  if (!keyring.ready) await keyring.load();
  const json = JSON.stringify(body);
  sendSigned(ctx, status, { json, signature: keyring.signer().sign(json, keyDigest) });
}
