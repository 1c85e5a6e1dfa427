import { KeyObject, verify } from 'node:crypto';
import { importJWK, type JWK } from 'jose';

export interface JsonWebKeySet {
  keys: JWK[];
}

/** A JWS header's fields this SDK reads. */
export interface JwsHeader {
  alg?: string;
  kid?: string;
  typ?: string;
  /** On a validation answer: base64url(SHA-256(license key)), the key the answer is about. */
  kwk?: string;
}

export class SignatureError extends Error {
  override name = 'SignatureError';
}

const decodeJson = <T>(segment: string): T => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as T;

/**
 * The public keys the client trusts, bundled with it (a JWKS, as GET /.well-known/jwks.json
 * serves it). Each key is imported once, by jose, and kept as a node:crypto KeyObject: a
 * verification is then one synchronous Ed25519 verify, with no re-parsing of the JWKS.
 */
export class KeySet {
  readonly #keys = new Map<string, KeyObject>();

  private constructor() {}

  static async fromJwks(jwks: JsonWebKeySet): Promise<KeySet> {
    const set = new KeySet();
    for (const jwk of jwks.keys ?? []) {
      if (!jwk.kid) throw new Error('every key of the JWKS needs a kid');
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error(`key ${jwk.kid} is not an Ed25519 key`);
      const imported = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
      if (imported instanceof Uint8Array) throw new Error(`key ${jwk.kid} is not a public key`);
      set.#keys.set(jwk.kid, KeyObject.from(imported));
    }
    if (!set.#keys.size) throw new Error('the JWKS holds no keys');
    return set;
  }

  get kids(): string[] {
    return [...this.#keys.keys()];
  }

  #verify(header: JwsHeader, input: string, signature: string): void {
    if (header.alg !== 'EdDSA') throw new SignatureError(`unexpected algorithm ${String(header.alg)}`);
    const key = header.kid === undefined ? undefined : this.#keys.get(header.kid);
    if (!key) throw new SignatureError(`signed by a key this client does not trust (kid ${String(header.kid)})`);
    if (!verify(null, Buffer.from(input, 'latin1'), key, Buffer.from(signature, 'base64url'))) throw new SignatureError('the signature does not match');
  }

  /** Verifies a compact JWS (`header.payload.signature`) and returns its header and payload text. */
  verifyCompact(jws: string): { header: JwsHeader; payload: string } {
    const first = jws.indexOf('.');
    const second = jws.indexOf('.', first + 1);
    if (first < 1 || second < 0 || jws.indexOf('.', second + 1) !== -1) throw new SignatureError('not a compact JWS');
    let header: JwsHeader;
    try {
      header = decodeJson<JwsHeader>(jws.slice(0, first));
    } catch {
      throw new SignatureError('the JWS header is not JSON');
    }
    this.#verify(header, jws.slice(0, second), jws.slice(second + 1));
    return { header, payload: Buffer.from(jws.slice(first + 1, second), 'base64url').toString('utf8') };
  }

  /** Verifies a detached JWS (`header..signature`) over these exact body bytes. */
  verifyDetached(signature: string, body: Uint8Array | string): JwsHeader {
    const parts = signature.split('.');
    if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) throw new SignatureError('not a detached JWS');
    let header: JwsHeader;
    try {
      header = decodeJson<JwsHeader>(parts[0]);
    } catch {
      throw new SignatureError('the JWS header is not JSON');
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.#verify(header, `${parts[0]}.${bytes.toString('base64url')}`, parts[2]);
    return header;
  }
}
