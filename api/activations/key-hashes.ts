import { normalizeLicenseKey } from '../../lib/license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { answerKeyDigest } from '../../domain/signing/detached-jws.ts';

/**
 * License keys' lookup hashes (HMAC of the normalised key), remembered by the SHA-256 of the
 * key as sent: a client calls with the same key again and again, and the digest is far
 * cheaper than the HMAC (it is the same digest that binds a signed answer to its key, so a
 * validation computes it once and passes it in). No key is kept, only digests of 120-bit random keys. Two generations
 * of at most `max` entries each: a full generation becomes the previous one, dropping the one
 * before (keys seen in the last generation survive).
 */
export class KeyHashes {
  readonly #secret: ServerSecret;
  readonly #max: number;
  #current = new Map<string, string>();
  #previous = new Map<string, string>();

  constructor(secret: ServerSecret, max = 20_000) {
    this.#secret = secret;
    this.#max = max;
  }

  lookupHash(key: string, digest = answerKeyDigest(key)): string {
    let keyHash = this.#current.get(digest);
    if (keyHash !== undefined) return keyHash;
    keyHash = this.#previous.get(digest) ?? this.#secret.lookupHash(normalizeLicenseKey(key));
    if (this.#current.size >= this.#max) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(digest, keyHash);
    return keyHash;
  }
}
