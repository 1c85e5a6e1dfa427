import type { SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';
import { iso } from '../http/resources.ts';

/** The admin view of a signing key: never its private half. */
export function signingKeyResource(key: SigningKeyEntity) {
  return {
    id: key.id,
    algorithm: key.algorithm,
    status: key.status,
    public_jwk: key.publicJwk,
    created_at: iso(key.createdAt),
    rotated_at: iso(key.rotatedAt),
    retired_at: iso(key.retiredAt),
  };
}
