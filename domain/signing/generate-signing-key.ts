import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK } from 'jose';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';

export const SIGNING_ALGORITHM = 'EdDSA';

/** What the private key is sealed to: a copy moved to another row does not decrypt. */
export const sealedKeyContext = (kid: string) => `signing-key:${kid}`;

/** A new Ed25519 key pair as a `signing_key` row (status ACTIVE): public JWK, sealed private key. */
export async function generateSigningKey(secret: ServerSecret, now = new Date()): Promise<SigningKeyEntity> {
  const id = randomUUID();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = await exportJWK(publicKey);
  const publicJwk = { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, kid: id, alg: SIGNING_ALGORITHM, use: 'sig' };
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    id,
    algorithm: SIGNING_ALGORITHM,
    status: 'ACTIVE',
    publicJwk,
    privateKeyEncrypted: secret.encrypt(pem, sealedKeyContext(id)),
    createdAt: now,
    rotatedAt: null,
    retiredAt: null,
  } as SigningKeyEntity;
}
