import { createHash, randomBytes } from 'node:crypto';
import { ClockGuard } from './clock-guard.ts';
import { isValidCode, VALIDATION_CODES, type ResultCode, type ValidationCode } from './codes.ts';
import { KeySet, SignatureError, type JsonWebKeySet, type JwsHeader } from './keyset.ts';
import { tokenFromLicenseFile } from './license-file.ts';
import { verifyOfflineToken } from './offline-token.ts';
import type { ActivationResult, ClientLicense, DeactivationResult, HeartbeatResult, LicenseResult } from './results.ts';
import { MemoryStorage, type ClientStorage } from './storage.ts';

export const SIGNATURE_HEADER = 'keywarden-signature';

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
  features?: string[];
  /** Ask the server even while a cached answer is still fresh. */
  force?: boolean;
}

/** The server could not be reached (or answered with a server error). */
export class KeywardenNetworkError extends Error {
  override name = 'KeywardenNetworkError';
}

interface StoredAnswer {
  body: string;
  signature: string;
}

interface SignedBody {
  valid: boolean;
  code: ValidationCode;
  detail: string;
  license: ClientLicense | null;
  cache_ttl: number;
  nonce?: string;
  ts: string;
}

const OFFLINE_TOKEN = 'keywarden:offline-token';

/**
 * The digest a signed answer names its license key by (the `kwk` of its protected header):
 * base64url(SHA-256(key)), over the key as sent (the API trims surrounding whitespace).
 */
export function licenseKeyDigest(key: string): string {
  return createHash('sha256').update(key.trim(), 'utf8').digest('base64url');
}

/**
 * The Keywarden client: validates online and caches the signed answer for its `cache_ttl`;
 * when the server is unreachable, falls back to the last signed answer, then to an offline
 * token, while they are valid; verifies every signature against the bundled keys; refuses
 * offline answers when the clock was set backwards.
 */
export class KeywardenClient {
  readonly #options: KeywardenClientOptions;
  readonly #storage: ClientStorage;
  readonly #clock: ClockGuard;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  /** `kwk` of every answer about this client's key. */
  readonly #keyDigest: string;
  #keys: Promise<KeySet> | undefined;

  constructor(options: KeywardenClientOptions) {
    this.#options = options;
    this.#storage = options.storage ?? new MemoryStorage();
    this.#clock = new ClockGuard(this.#storage, options.clockToleranceMs ?? 300_000);
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#keyDigest = licenseKeyDigest(options.licenseKey);
  }

  /** The trusted keys, imported once. */
  keys(): Promise<KeySet> {
    this.#keys ??= KeySet.fromJwks(this.#options.jwks);
    return this.#keys;
  }

  async validate(options: ValidateOptions = {}): Promise<LicenseResult> {
    const now = this.#now();
    const keys = await this.keys();
    const rolledBack = await this.#clock.observe(now);
    const slot = this.#slot(options.features);
    if (!options.force && !rolledBack) {
      const cached = await this.#stored(keys, slot);
      if (cached && now < cached.until) return this.#result(cached.body, 'cache', cached.until);
    }

    const nonce = randomBytes(16).toString('base64url');
    let response: Response;
    try {
      response = await this.#post('/v1/validate', { ...this.#identity(), ...(options.features?.length ? { features: options.features } : {}), nonce });
      if (response.status >= 500 || response.status === 429) throw new KeywardenNetworkError(`the server answered ${response.status}`);
    } catch (error) {
      if (!(error instanceof KeywardenNetworkError)) throw error;
      return this.#offline(keys, slot, now, rolledBack, options.features);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`validate answered ${response.status}: ${Buffer.from(bytes).toString('utf8')}`);
    const signature = response.headers.get(SIGNATURE_HEADER);
    let header: JwsHeader;
    try {
      if (!signature) throw new SignatureError('the answer is not signed');
      header = keys.verifyDetached(signature, bytes);
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      return refusal('SIGNATURE_INVALID', `The server's answer cannot be trusted: ${error.message}.`, 'online');
    }
    // Genuinely signed, but possibly about another key (a man in the middle swapped the key it forwarded).
    if (header.kwk !== this.#keyDigest) return refusal('KEY_MISMATCH', 'The signed answer is about another license key (a swapped answer).', 'online');
    const text = Buffer.from(bytes).toString('utf8');
    const body = JSON.parse(text) as SignedBody;
    if (body.nonce !== nonce) return refusal('NONCE_MISMATCH', 'The answer does not belong to this request (a replayed answer).', 'online');
    await this.#storage.set(slot, JSON.stringify({ body: text, signature: signature! } satisfies StoredAnswer));
    await this.#clock.observe(now, Date.parse(body.ts));
    return this.#result(body, 'online', Date.parse(body.ts) + body.cache_ttl * 1000);
  }

  /**
   * Installs an offline token (or a license file's text) after checking it; it is then the
   * last resort when the server is unreachable. Returns its verdict (installed only if valid).
   */
  async installOfflineToken(tokenOrFile: string): Promise<LicenseResult> {
    const token = tokenFromLicenseFile(tokenOrFile);
    const now = this.#now();
    // A clock set back would make an expired token look current.
    if (await this.#clock.observe(now)) return this.#clockTampered();
    const keys = await this.keys();
    const result = await this.#forThisLicense(keys, verifyOfflineToken(keys, token, this.#offlineCheck(now)));
    if (result.valid) await this.#storage.set(OFFLINE_TOKEN, token);
    return result;
  }

  /** Checks an offline token (or a license file) against the bundled keys, offline. */
  async verifyOfflineToken(tokenOrFile: string, features?: string[]): Promise<LicenseResult> {
    const now = this.#now();
    if (await this.#clock.observe(now)) return this.#clockTampered();
    return verifyOfflineToken(await this.keys(), tokenFromLicenseFile(tokenOrFile), { ...this.#offlineCheck(now), features });
  }

  async #clockTampered(): Promise<LicenseResult> {
    const last = new Date(await this.#clock.lastSeen()).toISOString();
    return refusal('CLOCK_TAMPERED', `The system clock is earlier than ${last}, a time this software has already seen. Correct the clock or connect to the network.`, 'none');
  }

  async activate(details: { name?: string; hostname?: string; platform?: string; user?: string } = {}): Promise<ActivationResult> {
    const { status, body } = await this.#call('/v1/activate', { ...this.#identity(true), ...details });
    if (status === 200 || status === 201) return { ok: true, created: status === 201, activation: body.activation, license: body.license };
    return { ok: false, code: body.code, detail: body.detail };
  }

  async deactivate(): Promise<DeactivationResult> {
    const { status, body } = await this.#call('/v1/deactivate', { key: this.#options.licenseKey, fingerprint: this.#fingerprint() });
    if (status === 200) return { ok: true, activation: body.activation, license: body.license };
    return { ok: false, code: body.code, detail: body.detail };
  }

  async heartbeat(): Promise<HeartbeatResult> {
    const { status, body } = await this.#call('/v1/heartbeat', { key: this.#options.licenseKey, fingerprint: this.#fingerprint() });
    if (status === 200) return { ok: true, activation: body.activation };
    return { ok: false, code: body.code, detail: body.detail };
  }

  // -------------------------------------------------------------------------------------------

  async #offline(keys: KeySet, slot: string, now: number, rolledBack: boolean, features?: string[]): Promise<LicenseResult> {
    if (rolledBack) return this.#clockTampered();
    const stored = await this.#stored(keys, slot);
    if (stored && now < stored.until + (this.#options.offlineGraceSeconds ?? 0) * 1000) return this.#result(stored.body, 'signed-response', stored.until);
    const token = await this.#storage.get(OFFLINE_TOKEN);
    if (token) return this.#forThisLicense(keys, verifyOfflineToken(keys, token, { ...this.#offlineCheck(now), features }));
    if (stored) return refusal('TOKEN_EXPIRED', 'The server is unreachable and the last answer is too old to use. Connect to the network.', 'signed-response');
    return refusal('OFFLINE_UNAVAILABLE', 'The license server is unreachable and no offline license is installed.', 'none');
  }

  /**
   * A token names its license, not the key: once a signed answer has told this client which
   * license its key opens, a token for any other license is refused (a leaked file from another
   * customer must not unlock this installation).
   */
  async #forThisLicense(keys: KeySet, result: LicenseResult): Promise<LicenseResult> {
    if (!result.valid) return result;
    const known = (await this.#stored(keys, this.#slot()))?.body.license?.id;
    if (known && result.license?.id !== known) {
      return refusal('KEY_MISMATCH', 'This offline license is for another license than the one this key opens. Install the license file issued for this key.', 'offline-token');
    }
    return result;
  }

  /** The stored signed answer for this question, verified again and checked to be about this key (storage is not trusted). */
  async #stored(keys: KeySet, slot: string): Promise<{ body: SignedBody; until: number } | undefined> {
    const raw = await this.#storage.get(slot);
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as StoredAnswer;
      if (keys.verifyDetached(stored.signature, stored.body).kwk !== this.#keyDigest) return undefined;
      const body = JSON.parse(stored.body) as SignedBody;
      return { body, until: Date.parse(body.ts) + body.cache_ttl * 1000 };
    } catch {
      return undefined;
    }
  }

  #result(body: SignedBody, source: LicenseResult['source'], until: number): LicenseResult {
    const known = Object.hasOwn(VALIDATION_CODES, body.code);
    return {
      valid: known && isValidCode(body.code) && body.valid === true,
      code: body.code,
      detail: body.detail,
      license: body.license,
      source,
      ts: body.ts,
      validUntil: new Date(until).toISOString(),
    };
  }

  /** Storage slot of the answer to this question (key, machine, domain, features). */
  #slot(features?: string[]): string {
    const question = JSON.stringify([this.#options.licenseKey, this.#options.fingerprint ?? null, this.#options.domain ?? null, [...(features ?? [])].sort()]);
    return `keywarden:answer:${createHash('sha256').update(question).digest('base64url')}`;
  }

  #offlineCheck(now: number) {
    return { now, fingerprint: this.#options.fingerprint, domain: this.#options.domain, leewayMs: this.#options.clockToleranceMs };
  }

  #fingerprint(): string {
    if (!this.#options.fingerprint) throw new Error('this call needs the fingerprint option');
    return this.#options.fingerprint;
  }

  #identity(requireFingerprint = false) {
    return {
      key: this.#options.licenseKey,
      ...(this.#options.fingerprint || requireFingerprint ? { fingerprint: this.#fingerprint() } : {}),
      ...(this.#options.domain ? { domain: this.#options.domain } : {}),
    };
  }

  async #post(path: string, body: unknown): Promise<Response> {
    try {
      return await this.#fetch(new URL(path, this.#options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new KeywardenNetworkError(`the license server is unreachable: ${(error as Error).message}`);
    }
  }

  async #call(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await this.#post(path, body);
    if (response.status >= 500 || response.status === 429) throw new KeywardenNetworkError(`the server answered ${response.status}`);
    const parsed = await response.json().catch(() => ({}));
    if (response.status >= 400 && response.status !== 404 && response.status !== 422) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
    return { status: response.status, body: parsed };
  }
}

function refusal(code: ResultCode, detail: string, source: LicenseResult['source']): LicenseResult {
  return { valid: false, code, detail, license: null, source, ts: null, validUntil: null };
}
