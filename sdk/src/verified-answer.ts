import { randomBytes } from 'node:crypto';
import { SignatureError, type KeySet } from './keyset.ts';
import type { Question } from './question.ts';
import { scopeAnswers, type SignedBody } from './signed-answer.ts';

/** The refusals of an answer that cannot be trusted: a bad signature, another key's answer, a replay. */
export type UntrustedCode = 'SIGNATURE_INVALID' | 'KEY_MISMATCH' | 'NONCE_MISMATCH' | 'SCOPE_MISMATCH';

/** What one online answer turned out to be: its verified text and body, or why it is not trusted. */
export type VerifiedAnswer<T> = { ok: true; text: string; signature: string; body: T } | { ok: false; code: UntrustedCode; detail: string };

/** A fresh nonce for a request whose answer is not stored (activate, deactivate, heartbeat). */
export function freshNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Checks an answer of the API (validate, activate, deactivate, heartbeat) before anything in it
 * is read: the detached JWS (`signature`, the Keywarden-Signature header) over these exact
 * bytes by a key of the JWKS, its `kwk` (the answer is about this client's key, `keyDigest`),
 * the nonce echoed in the signed body (it answers this very request, not a replay), then its
 * signed `scope` (it was decided on this very question: see scopeAnswers).
 */
export function verifyAnswer<T extends { nonce?: string } & Pick<SignedBody, 'scope'>>(
  keys: KeySet,
  bytes: Uint8Array,
  signature: string | null,
  keyDigest: string,
  nonce: string,
  question: Question,
): VerifiedAnswer<T> {
  let kwk: string | undefined;
  try {
    if (!signature) throw new SignatureError('the answer is not signed');
    kwk = keys.verifyDetached(signature, bytes).kwk;
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    return { ok: false, code: 'SIGNATURE_INVALID', detail: `The server's answer cannot be trusted: ${error.message}.` };
  }
  // Genuinely signed, but possibly about another key (a man in the middle swapped the key it forwarded).
  if (kwk !== keyDigest) return { ok: false, code: 'KEY_MISMATCH', detail: 'The signed answer is about another license key (a swapped answer).' };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const body = JSON.parse(text) as T;
  if (body?.nonce !== nonce) return { ok: false, code: 'NONCE_MISMATCH', detail: 'The answer does not belong to this request (a replayed answer).' };
  if (!scopeAnswers(body, question)) {
    return { ok: false, code: 'SCOPE_MISMATCH', detail: 'The server answered another question than the one asked (its fingerprint, domain, user or features were changed on the way).' };
  }
  return { ok: true, text, signature, body };
}
