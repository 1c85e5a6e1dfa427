import { isValidCode, VALIDATION_CODES, type ValidationCode } from './codes.ts';
import type { KeySet } from './keyset.ts';
import type { ClientLicense } from './results.ts';
import type { SignedBody } from './signed-answer.ts';
import { keyRecordSlot, type ClientStorage } from './storage.ts';

/**
 * Refusals about the license itself, whatever machine or question asked (the API decides them
 * first, from the license's standing): an offline token or a stored answer dated before one of
 * them no longer stands in for the server. The other refusals (NOT_ACTIVATED,
 * SEAT_LIMIT_EXCEEDED, HEARTBEAT_DEAD, DOMAIN_MISMATCH, IP_NOT_ALLOWED, FEATURES_MISSING) are
 * about this machine or this question, and NOT_FOUND names no license.
 */
export const LICENSE_REFUSAL_CODES = ['EXPIRED', 'TRIAL_EXPIRED', 'SUSPENDED', 'REVOKED'] as const satisfies readonly ValidationCode[];

const isLicenseRefusal = (body: SignedBody): boolean => (LICENSE_REFUSAL_CODES as readonly string[]).includes(body.code) && body.valid === false;
const isValidAnswer = (body: SignedBody): boolean => Object.hasOwn(VALIDATION_CODES, body.code) && isValidCode(body.code) && body.valid === true;

/** The record: a signed answer's exact bytes and signature, verified again when read. */
interface StoredRefusal {
  v: 1;
  body: string;
  signature: string;
}

/** What storage says about the license: nothing, a verified refusal, or a record that does not verify. */
export type LicenseStanding =
  | { kind: 'none' }
  | { kind: 'refused'; licenseId: string; code: ValidationCode; detail: string; license: ClientLicense; ts: string; at: number }
  | { kind: 'unverifiable' };

/**
 * The newest signed license-level refusal this client has been given online (one record per
 * license key). Storage is not trusted, so it errs only one way: a record that does not verify
 * (edited, another key's `kwk`, a retired signing key, another format) counts as a refusal of
 * unknown date, so editing it never makes a refused license valid; a verified answer from the
 * server replaces or clears it. Deleting the record (or rolling back the whole state file) is
 * what storage alone cannot detect: see the README's Storage section.
 */
export class RefusalStore {
  readonly #storage: ClientStorage;
  readonly #keyDigest: string;
  readonly #slot: string;

  constructor(storage: ClientStorage, keyDigest: string) {
    this.#storage = storage;
    this.#keyDigest = keyDigest;
    this.#slot = keyRecordSlot('license-refusal', keyDigest);
  }

  /**
   * Takes note of a verified online answer about this key: a license-level refusal newer than
   * the one kept replaces it; a valid answer about the same license, newer than the refusal,
   * clears it (the license was reinstated or renewed). Other answers change nothing.
   */
  async observe(keys: KeySet, body: SignedBody, text: string, signature: string): Promise<void> {
    const licenseId = body.license?.id;
    const at = Date.parse(body.ts);
    if (!licenseId || !Number.isFinite(at)) return;
    const current = await this.read(keys);
    if (isLicenseRefusal(body)) {
      if (current.kind === 'refused' && current.licenseId === licenseId && current.at >= at) return;
      await this.#storage.set(this.#slot, JSON.stringify({ v: 1, body: text, signature } satisfies StoredRefusal));
    } else if (isValidAnswer(body)) {
      if (current.kind === 'unverifiable' || (current.kind === 'refused' && current.licenseId === licenseId && current.at < at)) await this.#storage.delete(this.#slot);
    }
  }

  async read(keys: KeySet): Promise<LicenseStanding> {
    const raw = await this.#storage.get(this.#slot);
    if (raw === undefined) return { kind: 'none' };
    try {
      const stored = JSON.parse(raw) as StoredRefusal;
      if (stored.v !== 1) throw new Error('another format');
      if (keys.verifyDetached(stored.signature, stored.body).kwk !== this.#keyDigest) throw new Error('about another key');
      const body = JSON.parse(stored.body) as SignedBody;
      const at = Date.parse(body.ts);
      if (!isLicenseRefusal(body) || !body.license?.id || !Number.isFinite(at)) throw new Error('not a license-level refusal');
      return { kind: 'refused', licenseId: body.license.id, code: body.code, detail: body.detail, license: body.license, ts: body.ts, at };
    } catch {
      return { kind: 'unverifiable' };
    }
  }

  /**
   * True when something about `licenseId` the server signed or issued at `issuedAt` (ms) is
   * superseded: the kept refusal is about that license and not older (a token's `iat` has
   * second precision, so one issued within the refusal's second counts as older), or the
   * record does not verify.
   */
  static supersedes(standing: LicenseStanding, licenseId: string | undefined, issuedAt: number): boolean {
    if (standing.kind === 'unverifiable') return true;
    return standing.kind === 'refused' && standing.licenseId === licenseId && !(issuedAt > standing.at);
  }
}
