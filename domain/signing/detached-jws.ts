import { hash, sign, type KeyObject } from 'node:crypto';

/**
 * The digest that binds a validation answer to the license key it answers: base64url of the
 * SHA-256 of the key exactly as the client sent it (after the request schema's trim). It goes
 * in the protected header as `kwk`, so an answer signed for one key cannot be handed to a
 * client that asked about another.
 */
export function answerKeyDigest(key: string): string {
  return hash('sha256', key, 'base64url');
}

/**
 * A compact JWS with a detached payload (RFC 7515, appendix F): `<protected>..<signature>`.
 * The payload is base64url of the exact bytes sent, so whoever holds the body and the public
 * key can check it. The protected header is `{"alg":"EdDSA","kid":…,"kwk":…}`: `kwk` (see
 * answerKeyDigest) binds the answer to the license key asked about. node:crypto signs
 * synchronously: on the validation hot path this costs one Ed25519 signature and no promise.
 */
export class DetachedSigner {
  readonly kid: string;
  readonly #privateKey: KeyObject;
  /** `{"alg":"EdDSA","kid":…`, computed once; `kwk` is appended per answer. */
  readonly #headerStart: string;

  constructor(kid: string, privateKey: KeyObject) {
    this.kid = kid;
    this.#privateKey = privateKey;
    this.#headerStart = JSON.stringify({ alg: 'EdDSA', kid }).slice(0, -1);
  }

  /** The detached JWS over `body` (its UTF-8 bytes), bound to the key whose digest is `keyDigest`. */
  sign(body: string, keyDigest: string): string {
    // The digest is base64url: nothing in it needs escaping in JSON.
    const protectedHeader = Buffer.from(`${this.#headerStart},"kwk":"${keyDigest}"}`, 'utf8').toString('base64url');
    const input = `${protectedHeader}.${Buffer.from(body, 'utf8').toString('base64url')}`;
    return `${protectedHeader}..${sign(null, Buffer.from(input, 'latin1'), this.#privateKey).toString('base64url')}`;
  }
}
