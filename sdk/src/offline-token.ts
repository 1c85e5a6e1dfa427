import { isValidCode, type ResultCode } from './codes.ts';
import { domainMatches } from './domain.ts';
import { SignatureError, type KeySet } from './keyset.ts';
import type { ClientLicense, LicenseResult } from './results.ts';

/** The claims of a Keywarden offline license token (domain/licenses/offline-token-claims.ts). */
export interface OfflineTokenClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  license: ClientLicense;
  fingerprint?: string;
  domain?: string;
}

export const OFFLINE_TOKEN_TYPE = 'kw-license+jwt';

export interface OfflineCheck {
  /** Milliseconds since the epoch. */
  now: number;
  fingerprint?: string;
  domain?: string;
  features?: readonly string[];
  /** Accepted clock difference for `nbf` (ms; default 5 minutes). */
  leewayMs?: number;
}

const refusal = (code: ResultCode, detail: string, claims?: OfflineTokenClaims): LicenseResult => ({
  valid: false,
  code,
  detail,
  license: claims?.license ?? null,
  source: 'offline-token',
  ts: claims ? new Date(claims.iat * 1000).toISOString() : null,
  validUntil: null,
});

/**
 * Checks an offline token entirely on this machine: its signature against the bundled keys,
 * its type and issuer, its time window, and its machine and domain binding. Synchronous, and
 * about as fast as the Ed25519 verify itself (see bench/offline-verify.ts).
 */
export function verifyOfflineToken(keys: KeySet, token: string, check: OfflineCheck): LicenseResult {
  let claims: OfflineTokenClaims;
  try {
    const { header, payload } = keys.verifyCompact(token.trim());
    if (header.typ !== OFFLINE_TOKEN_TYPE) return refusal('TOKEN_INVALID', 'This is not a Keywarden offline license token.');
    claims = JSON.parse(payload) as OfflineTokenClaims;
  } catch (error) {
    if (error instanceof SignatureError) return refusal('SIGNATURE_INVALID', `The offline license token cannot be trusted: ${error.message}.`);
    return refusal('TOKEN_INVALID', 'The offline license token is malformed.');
  }
  if (claims.iss !== 'keywarden' || typeof claims.exp !== 'number' || typeof claims.nbf !== 'number' || !claims.license || claims.license.id !== claims.sub) {
    return refusal('TOKEN_INVALID', 'The offline license token lacks required claims.');
  }
  const leeway = check.leewayMs ?? 300_000;
  if (check.now >= claims.exp * 1000) return refusal('TOKEN_EXPIRED', `The offline license ended on ${new Date(claims.exp * 1000).toISOString().slice(0, 10)}. Connect to renew it.`, claims);
  if (check.now + leeway < claims.nbf * 1000) return refusal('TOKEN_INVALID', 'The offline license token is not valid yet (is the clock right?).', claims);
  if (claims.fingerprint !== undefined && claims.fingerprint !== check.fingerprint) {
    return refusal('FINGERPRINT_MISMATCH', 'This offline license belongs to another machine.', claims);
  }
  if (claims.domain !== undefined && !(check.domain && domainMatches(check.domain, claims.domain))) {
    return refusal('DOMAIN_MISMATCH', `This offline license is restricted to the domain ${claims.domain}.`, claims);
  }
  const missing = (check.features ?? []).filter((feature) => !claims.license.features[feature]);
  if (missing.length) return refusal('FEATURES_MISSING', `This license does not include: ${missing.join(', ')}.`, claims);
  const until = new Date(claims.exp * 1000).toISOString();
  return {
    valid: isValidCode('VALID'),
    code: 'VALID',
    detail: `Offline license valid until ${until.slice(0, 10)}.`,
    license: claims.license,
    source: 'offline-token',
    ts: new Date(claims.iat * 1000).toISOString(),
    validUntil: until,
  };
}

/** The claims of a token, unverified: for display only, never for a decision. */
export function peekOfflineToken(token: string): OfflineTokenClaims | null {
  try {
    return JSON.parse(Buffer.from(token.trim().split('.')[1] ?? '', 'base64url').toString('utf8')) as OfflineTokenClaims;
  } catch {
    return null;
  }
}
