import type { DetachedSigner } from '../../domain/signing/detached-jws.ts';
import type { ValidationResult } from './validate-license.ts';

/** The header that carries the detached JWS over the exact body of a validation answer. */
export const SIGNATURE_HEADER = 'Keywarden-Signature';

/**
 * How long a signed answer without a nonce is reused (its `ts` is then up to this old). A
 * request with a nonce is always signed afresh: the nonce is what makes it unreplayable.
 */
export const SIGNED_ANSWER_REUSE_MS = 1000;

/**
 * The bytes to send and their signature, bound to the key asked about (`keyDigest`, see
 * answerKeyDigest). One Ed25519 signature per answer, except for the memoised plain answer (a
 * cache hit that sent only the key): its signed form is kept on the memo for up to a second,
 * so a busy license costs one signature per second, not per request. The memo belongs to one
 * license (one normalised key), but spellings of that key differ in their digest: the signed
 * form is reused only for the very digest it was signed with, so it never carries another
 * key's `kwk`.
 */
export function signAnswer(signer: DetachedSigner, result: ValidationResult, keyDigest: string, nowMs: number): { json: string; signature: string } {
  const memo = result.memo;
  if (memo) {
    const signed = memo.signed;
    if (signed && signed.kid === signer.kid && signed.kwk === keyDigest && nowMs - signed.at < SIGNED_ANSWER_REUSE_MS && nowMs >= signed.at) return signed;
    const json = result.json!;
    memo.signed = { kid: signer.kid, kwk: keyDigest, at: nowMs, json, signature: signer.sign(json, keyDigest) };
    return memo.signed;
  }
  const json = result.json ?? JSON.stringify(result.body);
  return { json, signature: signer.sign(json, keyDigest) };
}
