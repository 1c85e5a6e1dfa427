import { sign, type KeyObject } from 'node:crypto';

/**
 * A compact JWS with a detached payload (RFC 7515, appendix F): `<protected>..<signature>`.
 * The payload is base64url of the exact bytes sent, so whoever holds the body and the public
 * key can check it. node:crypto signs synchronously: on the validation hot path this costs one
 * Ed25519 signature and no promise.
 */
export class DetachedSigner {
  readonly kid: string;
  readonly #privateKey: KeyObject;
  /** base64url({"alg":"EdDSA","kid":…}), computed once. */
  readonly #protected: string;

  constructor(kid: string, privateKey: KeyObject) {
    this.kid = kid;
    this.#privateKey = privateKey;
    this.#protected = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url');
  }

  /** The detached JWS over `body` (its UTF-8 bytes). */
  sign(body: string): string {
    const input = `${this.#protected}.${Buffer.from(body, 'utf8').toString('base64url')}`;
    return `${this.#protected}..${sign(null, Buffer.from(input, 'latin1'), this.#privateKey).toString('base64url')}`;
  }
}
