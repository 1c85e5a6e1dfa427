import { createHash } from 'node:crypto';
import type { KeySet } from './keyset.ts';
import type { SignedBody } from './signed-answer.ts';
import type { ClientStorage } from './storage.ts';

/**
 * The signed KEY_ROTATED answer this client was given for its key, kept for good: a rotated-out
 * key never works again, so once the server has said so (signed, about this key), neither a
 * stored answer nor an offline token stands in for it while the server is unreachable. The
 * record is verified when read (signature and `kwk`); one that does not verify is ignored, which
 * errs only towards asking the server again.
 */
export class RotatedKeyStore {
  readonly #storage: ClientStorage;
  readonly #keyDigest: string;
  readonly #slot: string;

  constructor(storage: ClientStorage, keyDigest: string) {
    this.#storage = storage;
    this.#keyDigest = keyDigest;
    this.#slot = `keywarden:key-rotated:v1:${createHash('sha256').update(`keywarden-key-rotated\n${keyDigest}`, 'utf8').digest('base64url')}`;
  }

  /** Keeps a verified online answer that says this key was rotated out. */
  async observe(body: SignedBody, text: string, signature: string): Promise<void> {
    if (body.code === 'KEY_ROTATED' && body.valid === false) await this.#storage.set(this.#slot, JSON.stringify({ v: 1, body: text, signature }));
  }

  /** The remembered KEY_ROTATED answer, if this key was rotated out and the record verifies. */
  async read(keys: KeySet): Promise<SignedBody | undefined> {
    const raw = await this.#storage.get(this.#slot);
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as { v: number; body: string; signature: string };
      if (stored.v !== 1 || keys.verifyDetached(stored.signature, stored.body).kwk !== this.#keyDigest) return undefined;
      const body = JSON.parse(stored.body) as SignedBody;
      return body.code === 'KEY_ROTATED' && body.valid === false ? body : undefined;
    } catch {
      return undefined;
    }
  }
}
