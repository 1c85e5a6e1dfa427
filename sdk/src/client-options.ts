import type { JsonWebKeySet } from './keyset.ts';
import type { ClientStorage } from './storage.ts';

export interface KeywardenClientOptions {
  /** The Keywarden API, e.g. `https://licenses.example.com`. */
  baseUrl: string;
  licenseKey: string;
  /** The public keys to trust (GET /.well-known/jwks.json, bundled with the software). */
  jwks: JsonWebKeySet;
  /** This machine's fingerprint: sent to the API, and checked against machine-bound offline tokens. */
  fingerprint?: string;
  /** The domain the software runs on, for domain-locked licenses. */
  domain?: string;
  /** Default: in memory. Use FileStorage (or your own) to keep working across restarts. */
  storage?: ClientStorage;
  /** Per-request time limit (ms; default 10 s). */
  timeoutMs?: number;
  /** How far the clock may go back before it counts as set backwards (ms; default 5 minutes). */
  clockToleranceMs?: number;
  /** Beyond its `cache_ttl`, how long the last signed answer still stands in when the server is unreachable (s; default 0). */
  offlineGraceSeconds?: number;
  /** For tests: the clock and the HTTP client. */
  now?: () => number;
  fetch?: typeof fetch;
}

export interface ValidateOptions {
  /** Features the software needs now; the answer is FEATURES_MISSING unless the license has them all. */
  features?: string[];
  /** The user, for NAMED_USER licenses (must hold a seat). */
  user?: string;
  /** Ask the server even while a cached answer is still fresh. */
  force?: boolean;
}
