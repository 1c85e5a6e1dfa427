import { AnswerStore } from './answer-store.ts';
import type { KeywardenClientOptions, ValidateOptions } from './client-options.ts';
import { ClockGuard } from './clock-guard.ts';
import { KeySet } from './keyset.ts';
import { RefusalStore, type LicenseStanding } from './license-refusal.ts';
import { RotatedKeyStore } from './rotated-key.ts';
import { tokenFromLicenseFile } from './license-file.ts';
import { verifyOfflineToken } from './offline-token.ts';
import { questionNonce, questionOf, questionRequest, type Question } from './question.ts';
import { refusal, refusedBy, type ActivationResult, type SeatBody, type DeactivationResult, type HeartbeatResult, type LicenseResult } from './results.ts';
import { answerResult, answerUntil, licenseKeyDigest, SIGNATURE_HEADER, type SignedBody } from './signed-answer.ts';
import { MemoryStorage, type ClientStorage } from './storage.ts';
import { ApiTransport, KeywardenNetworkError } from './transport.ts';
import { freshNonce, verifyAnswer, type VerifiedAnswer } from './verified-answer.ts';

const OFFLINE_TOKEN = 'keywarden:offline-token';

/**
 * The Keywarden client: validates online and caches the signed answer for its `cache_ttl`;
 * when the server is unreachable, falls back to the last signed answer to the same question,
 * then to an offline token, while they are valid; verifies every signature against the bundled
 * keys; refuses offline answers when the clock was set backwards.
 */
export class KeywardenClient {
  readonly #options: KeywardenClientOptions;
  readonly #storage: ClientStorage;
  readonly #answers: AnswerStore;
  readonly #refusals: RefusalStore;
  readonly #rotated: RotatedKeyStore;
  readonly #clock: ClockGuard;
  readonly #now: () => number;
  readonly #api: ApiTransport;
  /** `kwk` of every answer about this client's key. */
  readonly #keyDigest: string;
  #keys: Promise<KeySet> | undefined;

  constructor(options: KeywardenClientOptions) {
    this.#options = options;
    this.#storage = options.storage ?? new MemoryStorage();
    this.#keyDigest = licenseKeyDigest(options.licenseKey);
    this.#answers = new AnswerStore(this.#storage, this.#keyDigest);
    this.#refusals = new RefusalStore(this.#storage, this.#keyDigest);
    this.#rotated = new RotatedKeyStore(this.#storage, this.#keyDigest);
    this.#clock = new ClockGuard(this.#storage, options.clockToleranceMs ?? 300_000);
    this.#now = options.now ?? Date.now;
    this.#api = new ApiTransport(options.baseUrl, options.fetch ?? globalThis.fetch, options.timeoutMs ?? 10_000);
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
    const question = this.#question(options);
    if (!options.force && !rolledBack) {
      // A key the server said was rotated out never works again: no stored answer stands in for it.
      const rotated = await this.#rotated.read(keys);
      if (rotated) return answerResult(rotated, question, 'cache', Date.parse(rotated.ts));
      const cached = await this.#answers.read(keys, question);
      if (cached && now < cached.until && !(await this.#superseded(keys, cached.body))) return answerResult(cached.body, question, 'cache', cached.until);
    }

    const nonce = questionNonce(question);
    let response: Response;
    try {
      response = await this.#api.post('/v1/validate', questionRequest(question, nonce));
    } catch (error) {
      if (!(error instanceof KeywardenNetworkError)) throw error;
      return this.#offline(keys, question, now, rolledBack);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`validate answered ${response.status}: ${Buffer.from(bytes).toString('utf8')}`);
    const answer = verifyAnswer<SignedBody>(keys, bytes, response.headers.get(SIGNATURE_HEADER), this.#keyDigest, nonce, question);
    if (!answer.ok) return refusal(answer.code, answer.detail, 'online');
    const { text, signature, body } = answer;
    await this.#answers.save(question, text, signature);
    await this.#refusals.observe(keys, body, text, signature);
    await this.#rotated.observe(body, text, signature);
    await this.#clock.observe(now, Date.parse(body.ts));
    return answerResult(body, question, 'online', answerUntil(body));
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
    const result = await this.#trustedToken(keys, verifyOfflineToken(keys, token, this.#offlineCheck(now)));
    if (result.valid) await this.#storage.set(OFFLINE_TOKEN, token);
    return result;
  }

  /**
   * Checks an offline token (or a license file) against the bundled keys, offline, and against
   * the license refusal this client was last told online (TOKEN_REVOKED when issued before it).
   */
  async verifyOfflineToken(tokenOrFile: string, features?: string[]): Promise<LicenseResult> {
    const now = this.#now();
    if (await this.#clock.observe(now)) return this.#clockTampered();
    const keys = await this.keys();
    return this.#notRefused(keys, verifyOfflineToken(keys, tokenFromLicenseFile(tokenOrFile), { ...this.#offlineCheck(now), features }));
  }

  /** Takes a seat for this device. The answer (refusals too) is trusted only once verified: see #seatCall. */
  async activate(details: { name?: string; hostname?: string; platform?: string; user?: string } = {}): Promise<ActivationResult> {
    const answer = await this.#seatCall('/v1/activate', { ...this.#machine(), ...(this.#options.domain ? { domain: this.#options.domain } : {}), ...details });
    if (!answer.ok) return answer;
    const { body } = answer;
    if (body.code !== 'ACTIVATED') return refusedBy(body);
    return { ok: true, created: body.created === true, activation: body.activation, license: body.license, ts: body.ts };
  }

  async deactivate(): Promise<DeactivationResult> {
    const answer = await this.#seatCall('/v1/deactivate', this.#machine());
    if (!answer.ok) return answer;
    const { body } = answer;
    if (body.code !== 'DEACTIVATED') return refusedBy(body);
    return { ok: true, activation: body.activation, license: body.license, ts: body.ts };
  }

  async heartbeat(): Promise<HeartbeatResult> {
    const answer = await this.#seatCall('/v1/heartbeat', this.#machine());
    if (!answer.ok) return answer;
    const { body } = answer;
    if (body.code !== 'LEASE_RENEWED') return refusedBy(body);
    return { ok: true, activation: body.activation, ts: body.ts };
  }

  // -------------------------------------------------------------------------------------------

  /**
   * An activation, deactivation or heartbeat with a fresh nonce. Its answer, success or refusal,
   * must be signed by a key of the JWKS over its exact bytes, about this key (`kwk`) and echo
   * the nonce, and be decided for this machine (its signed `scope` names the fingerprint), as a
   * validation answer (verifyAnswer): else SIGNATURE_INVALID, KEY_MISMATCH, NONCE_MISMATCH or
   * SCOPE_MISMATCH.
   */
  async #seatCall(path: string, request: { key: string; fingerprint: string } & Record<string, unknown>): Promise<VerifiedAnswer<SeatBody>> {
    const keys = await this.keys();
    const nonce = freshNonce();
    const { bytes, signature } = await this.#api.call(path, { ...request, nonce });
    return verifyAnswer<SeatBody>(keys, bytes, signature, this.#keyDigest, nonce, questionOf({ key: request.key, fingerprint: request.fingerprint }));
  }

  /** The server is unreachable: the last signed answer to this very question, then the offline token. */
  async #offline(keys: KeySet, question: Question, now: number, rolledBack: boolean): Promise<LicenseResult> {
    if (rolledBack) return this.#clockTampered();
    const rotated = await this.#rotated.read(keys);
    if (rotated) return answerResult(rotated, question, 'signed-response', Date.parse(rotated.ts));
    const stored = await this.#answers.read(keys, question);
    const usable = stored && !(await this.#superseded(keys, stored.body));
    if (usable && now < stored.until + (this.#options.offlineGraceSeconds ?? 0) * 1000) return answerResult(stored.body, question, 'signed-response', stored.until);
    const token = await this.#storage.get(OFFLINE_TOKEN);
    if (token) return this.#trustedToken(keys, verifyOfflineToken(keys, token, { ...this.#offlineCheck(now), features: question.features }));
    if (stored && !usable) return tokenRevoked(await this.#refusals.read(keys));
    if (stored) return refusal('TOKEN_EXPIRED', 'The server is unreachable and the last answer is too old to use. Connect to the network.', 'signed-response');
    return refusal('OFFLINE_UNAVAILABLE', 'The license server is unreachable and no offline license is installed.', 'none');
  }

  /**
   * A token names its license, not the key: once a signed answer has told this client which
   * license its key opens, a token for any other license is refused (a leaked file from another
   * customer must not unlock this installation). The answer looked at is the plain question's
   * (this machine and domain, no user, no features).
   */
  async #forThisLicense(keys: KeySet, result: LicenseResult): Promise<LicenseResult> {
    if (!result.valid) return result;
    const standing = await this.#refusals.read(keys);
    const known = (await this.#answers.read(keys, this.#question({})))?.body.license?.id ?? (standing.kind === 'refused' ? standing.licenseId : undefined);
    if (known && result.license?.id !== known) {
      return refusal('KEY_MISMATCH', 'This offline license is for another license than the one this key opens. Install the license file issued for this key.', 'offline-token');
    }
    return result;
  }

  /** A verified token, checked against the license this key opens and the last license refusal. */
  async #trustedToken(keys: KeySet, result: LicenseResult): Promise<LicenseResult> {
    return this.#notRefused(keys, await this.#forThisLicense(keys, result));
  }

  /**
   * Offline tokens cannot be revoked on the server: once a signed answer has told this client
   * its license is refused (REVOKED, SUSPENDED, EXPIRED, TRIAL_EXPIRED), a token for that
   * license issued before the answer is refused (TOKEN_REVOKED); one issued since (the license
   * was reinstated or renewed) is trusted. So is an old one again once a newer signed answer is
   * valid. A stored refusal record that does not verify refuses every token.
   */
  async #notRefused(keys: KeySet, result: LicenseResult): Promise<LicenseResult> {
    if (!result.valid) return result;
    const standing = await this.#refusals.read(keys);
    if (!RefusalStore.supersedes(standing, result.license?.id, Date.parse(result.ts ?? ''))) return result;
    return tokenRevoked(standing);
  }

  /** A stored valid answer dated no later than the last license refusal (or with an unverifiable record) is not used. */
  async #superseded(keys: KeySet, body: SignedBody): Promise<boolean> {
    if (body.valid !== true) return false;
    return RefusalStore.supersedes(await this.#refusals.read(keys), body.license?.id, Date.parse(body.ts));
  }

  async #clockTampered(): Promise<LicenseResult> {
    const last = new Date(await this.#clock.lastSeen()).toISOString();
    return refusal('CLOCK_TAMPERED', `The system clock is earlier than ${last}, a time this software has already seen. Correct the clock or connect to the network.`, 'none');
  }

  #question(options: ValidateOptions): Question {
    const { licenseKey: key, fingerprint, domain } = this.#options;
    return questionOf({ key, fingerprint, domain, user: options.user, features: options.features });
  }

  #offlineCheck(now: number) {
    return { now, fingerprint: this.#options.fingerprint, domain: this.#options.domain, leewayMs: this.#options.clockToleranceMs };
  }

  #fingerprint(): string {
    if (!this.#options.fingerprint) throw new Error('this call needs the fingerprint option');
    return this.#options.fingerprint;
  }

  /** What every seat call names: this key and this machine. */
  #machine(): { key: string; fingerprint: string } {
    return { key: this.#options.licenseKey, fingerprint: this.#fingerprint() };
  }

}

function tokenRevoked(standing: LicenseStanding): LicenseResult {
  if (standing.kind !== 'refused') {
    return refusal('TOKEN_REVOKED', 'The license status stored on this machine cannot be verified (was the state file edited?), so offline licenses are not trusted. Connect to the network.', 'offline-token');
  }
  return {
    ...refusal('TOKEN_REVOKED', `The license server answered ${standing.code} on ${standing.ts.slice(0, 10)}: ${standing.detail} What this machine holds for offline use dates from before that answer. Connect to the network, or install a license file issued since.`, 'offline-token'),
    license: standing.license,
    ts: standing.ts,
  };
}
