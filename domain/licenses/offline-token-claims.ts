/**
 * The claims of an offline license token (a JWT, EdDSA, with the signing key's `kid`). The SDK
 * (sdk/src/offline-token.ts) reads the same shape; keep them in step.
 */
export const OFFLINE_TOKEN_TYPE = 'kw-license+jwt';
export const OFFLINE_TOKEN_ISSUER = 'keywarden';

export interface OfflineTokenClaims {
  iss: typeof OFFLINE_TOKEN_ISSUER;
  /** The license id. */
  sub: string;
  /** The token id, as logged in `offline_token`. */
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  license: {
    id: string;
    status: string;
    product: string;
    plan: string;
    tier: string;
    features: Record<string, unknown>;
    seat_model: string;
    seat_limit: number | null;
    expires_at: string | null;
  };
  /** Set when the token is bound to one machine. */
  fingerprint?: string;
  /** Set when the token is bound to a domain (and its subdomains). */
  domain?: string;
}
