import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The server secret never lives in Postgres, so a database dump alone cannot turn a stored
 * hash back into a working key or decrypt a stored copy. Purpose-bound sub-keys are derived
 * with HKDF, so the HMAC key and the encryption key are independent.
 */
export class ServerSecret {
  readonly #hmacKey: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('server secret must be at least 32 bytes');
    this.#hmacKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'keywarden:lookup-hmac:v1', 32));
    this.#encryptionKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'keywarden:encryption:v1', 32));
  }

  static fromBase64(value: string): ServerSecret {
    return new ServerSecret(Buffer.from(value, 'base64'));
  }

  /**
   * Reads the secret kept in the data folder for the embedded setup, creating it (mode 0600)
   * on first start. Production deployments pass KEYWARDEN_SECRET instead.
   */
  static loadOrCreate(dataDir: string): { secret: ServerSecret; created: boolean } {
    const file = path.join(dataDir, 'server-secret');
    if (existsSync(file)) {
      return { secret: ServerSecret.fromBase64(readFileSync(file, 'utf8').trim()), created: false };
    }
    mkdirSync(dataDir, { recursive: true });
    const value = randomBytes(32).toString('base64');
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return { secret: ServerSecret.fromBase64(value), created: true };
  }

  /** Keyed hash used to look up license keys and API tokens: hex, 64 chars. */
  lookupHash(value: string): string {
    return createHmac('sha256', this.#hmacKey).update(value, 'utf8').digest('hex');
  }

  matchesLookupHash(value: string, expectedHex: string): boolean {
    const actual = Buffer.from(this.lookupHash(value), 'hex');
    const expected = Buffer.from(expectedHex, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** AES-256-GCM; output is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  decrypt(sealed: string, associatedData: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unrecognised ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
