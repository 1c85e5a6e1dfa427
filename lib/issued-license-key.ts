import { randomUUID } from 'node:crypto';
import { generateLicenseKey, licenseKeyHint } from './license-key.ts';
import type { ServerSecret } from './server-secret.ts';

/** A new license's id and key, and what its row keeps of the key (never the key itself). */
export interface IssuedLicenseKey {
  id: string;
  /** Shown once (the create response) and sent once (the license-issued email); never stored. */
  key: string;
  /** HMAC with the server secret: what validation looks the key up by. */
  keyHash: string;
  /** The last characters, for people to tell keys apart. */
  keyHint: string;
  /** Encrypted under the server secret, bound to the license id (`license:<id>`), to re-send the key. */
  keyCiphertext: string;
}

/** Generates a license's id and key, with the key's lookup hash, hint and encrypted copy. */
export function issueLicenseKey(secret: ServerSecret, options: { trial?: boolean } = {}): IssuedLicenseKey {
  const id = randomUUID();
  const key = generateLicenseKey(options);
  return { id, key, keyHash: secret.lookupHash(key), keyHint: licenseKeyHint(key), keyCiphertext: secret.encrypt(key, licenseKeyContext(id)) };
}

/** The context a license's key copy is encrypted under: a copy moved to another row does not decrypt. */
export const licenseKeyContext = (licenseId: string) => `license:${licenseId}`;
