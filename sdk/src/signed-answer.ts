import { createHash } from 'node:crypto';
import { isValidCode, VALIDATION_CODES, type ValidationCode } from './codes.ts';
import type { Question } from './question.ts';
import type { ClientLicense, LicenseResult } from './results.ts';

/** The response header that carries the detached JWS over a validation answer's exact body. */
export const SIGNATURE_HEADER = 'keywarden-signature';

/**
 * The digest a signed answer names its license key by (the `kwk` of its protected header):
 * base64url(SHA-256(key)), over the key as sent (the API trims surrounding whitespace).
 */
export function licenseKeyDigest(key: string): string {
  return createHash('sha256').update(key.trim(), 'utf8').digest('base64url');
}

/**
 * The body of a validation answer, as the server signs it. The signature covers these bytes
 * and the key (`kwk`); `scope` says which fingerprint, domain, user and features the server
 * evaluated (checked against the question asked: see scopeAnswers), and the nonce, made for
 * the question (see questionNonce), files a stored answer under its question for good.
 */
export interface SignedBody {
  valid: boolean;
  code: ValidationCode;
  detail: string;
  license: ClientLicense | null;
  cache_ttl: number;
  /** What the verdict was decided on besides the key; absent when only the key was sent. */
  scope?: { fingerprint?: string; domain?: string; user?: string; features?: string[] };
  nonce?: string;
  ts: string;
}

/**
 * True when the server decided on exactly this question: a man in the middle who changed the
 * fingerprint, domain, user or features of the request on its way (and passed back the genuine
 * signed answer) is caught here, since the signed `scope` names what the server read.
 */
export function scopeAnswers(body: Pick<SignedBody, 'scope'>, question: Question): boolean {
  const scope = body.scope ?? {};
  const features = [...new Set(scope.features ?? [])].sort();
  return (
    scope.fingerprint === question.fingerprint &&
    scope.domain === question.domain &&
    scope.user === question.user &&
    features.length === question.features.length &&
    features.every((feature, i) => feature === question.features[i])
  );
}

/** Until when the answer may be used without asking again: its `ts` plus `cache_ttl`. */
export function answerUntil(body: SignedBody): number {
  return Date.parse(body.ts) + body.cache_ttl * 1000;
}

/**
 * The verdict a verified answer gives this question. A valid answer must also hold every
 * feature asked for in the signed license's features (the server checks them the same way,
 * before PAST_DUE, IN_GRACE or VALID): one that does not was not decided on this question
 * (the features were dropped on the way), and is FEATURES_MISSING.
 */
export function answerResult(body: SignedBody, question: Question, source: LicenseResult['source'], until: number): LicenseResult {
  const valid = Object.hasOwn(VALIDATION_CODES, body.code) && isValidCode(body.code) && body.valid === true;
  const missing = valid ? question.features.filter((feature) => !body.license?.features?.[feature]) : [];
  return {
    valid: valid && !missing.length,
    code: missing.length ? 'FEATURES_MISSING' : body.code,
    detail: missing.length ? `This license does not include: ${missing.join(', ')}.` : body.detail,
    license: body.license,
    source,
    ts: body.ts,
    validUntil: new Date(until).toISOString(),
  };
}
