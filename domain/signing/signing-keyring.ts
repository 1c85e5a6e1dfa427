import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { SigningKey, type SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import { DetachedSigner } from './detached-jws.ts';
import { generateSigningKey, sealedKeyContext } from './generate-signing-key.ts';

/** How soon a background re-read that failed is tried again (at most `refreshMs`). */
const REFRESH_RETRY_MS = 5_000;

/** Serialises key generation and rotation across API replicas (any constant, the same everywhere). */
export const SIGNING_KEY_LOCK_ID = 727_401_007;

/** A public key as the JWKS serves it. */
export type PublicJwk = Record<string, string>;

export interface SigningKeyringOptions {
  em: EntityManager;
  secret: ServerSecret;
  logger?: Logger;
  /** How often a replica re-reads the keys, so a rotation made elsewhere reaches it (default 60 s). */
  refreshMs?: number;
}

/**
 * The API's signing keys, read from Postgres: the one ACTIVE key (its private key decrypted
 * once, kept as a KeyObject) and the public keys that still verify. The first load of a fresh
 * database generates the first key. After that, `signer()` is synchronous; it re-reads the
 * keys in the background once `refreshMs` have passed (a rotated-out key keeps verifying, so
 * a replica signing with it for a while longer is harmless).
 */
export class SigningKeyring {
  readonly #options: SigningKeyringOptions;
  #signer: DetachedSigner | undefined;
  #signerKey: KeyObject | undefined;
  #verifying: SigningKeyEntity[] = [];
  #loadedAt = 0;
  /** When `signer()` may next start a background re-read (after a failed one: a few seconds on, not at once). */
  #refreshAt = 0;
  #loading: Promise<void> | undefined;

  constructor(options: SigningKeyringOptions) {
    this.#options = options;
  }

  get ready(): boolean {
    return this.#signer !== undefined;
  }

  /** Loads the keys (generating the first one if there is none); concurrent callers share one load. */
  load(): Promise<void> {
    this.#loading ??= this.#read().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /** Reads the keys again, after any read already under way (for changes this replica just made). */
  async reload(): Promise<void> {
    await this.#loading?.catch(() => undefined);
    await this.load();
  }

  /** The signer of the ACTIVE key. Call `load()` first (once). */
  signer(): DetachedSigner {
    const signer = this.#signer;
    if (!signer) throw new Error('the signing keys are not loaded yet');
    const now = Date.now();
    if (now >= this.#refreshAt && !this.#loading) {
      // Should the read fail, the next one waits: not one failed read (and log line) per request.
      this.#refreshAt = now + Math.min(this.#refreshMs, REFRESH_RETRY_MS);
      this.load().catch((error: unknown) => {
        // An unreachable Postgres is the outage tracker's to log (once), and changes no key.
        if (!isDatabaseUnavailable(error)) this.#options.logger?.warn({ err: (error as Error).message }, 'could not re-read the signing keys; signing with the current one');
      });
    }
    return signer;
  }

  /** The private key of the ACTIVE key, for jose (offline tokens). */
  privateKey(): { kid: string; key: KeyObject } {
    const signer = this.signer();
    return { kid: signer.kid, key: this.#signerKey! };
  }

  /** The public keys that verify (ACTIVE and VERIFYING), newest first, as a JWK set. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    if (!this.ready) await this.load();
    else if (Date.now() - this.#loadedAt > this.#refreshMs) {
      // The keys in memory still verify everything this replica signs: serve them through an outage.
      await this.load().catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) throw error;
      });
    }
    return { keys: this.#verifying.map((key) => key.publicJwk) };
  }

  get #refreshMs(): number {
    return this.#options.refreshMs ?? 60_000;
  }

  async #read(): Promise<void> {
    const { em, secret } = this.#options;
    await em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(?)', [SIGNING_KEY_LOCK_ID]);
      if (!(await tx.count(SigningKey, { status: 'ACTIVE' }))) {
        tx.create(SigningKey, await generateSigningKey(secret));
        this.#options.logger?.info('generated the first response and token signing key');
      }
    });
    const keys = await em.fork().find(SigningKey, { status: { $in: ['ACTIVE', 'VERIFYING'] } }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    const active = keys.find((key) => key.status === 'ACTIVE');
    if (!active) throw new Error('no ACTIVE signing key after generating one');
    if (this.#signer?.kid !== active.id) {
      const pem = secret.decrypt(active.privateKeyEncrypted, sealedKeyContext(active.id));
      this.#signerKey = createPrivateKey(pem);
      this.#signer = new DetachedSigner(active.id, this.#signerKey);
    }
    this.#verifying = keys;
    this.#loadedAt = Date.now();
    this.#refreshAt = this.#loadedAt + this.#refreshMs;
  }
}
