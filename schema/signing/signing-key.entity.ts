import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * ACTIVE signs (exactly one at a time); VERIFYING was rotated out and still verifies (it stays
 * in the JWKS); RETIRED verifies nothing any more (left out of the JWKS).
 */
export const SIGNING_KEY_STATUSES = ['ACTIVE', 'VERIFYING', 'RETIRED'] as const;
export type SigningKeyStatus = (typeof SIGNING_KEY_STATUSES)[number];

/**
 * An Ed25519 key that signs validation answers and offline license tokens. Its id is the JWS
 * `kid`. The private key is stored AES-256-GCM encrypted under the server secret (bound to
 * the key id), so a database dump alone cannot sign anything.
 */
export const SigningKey = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_key',
  indexes: [
    {
      name: 'signing_key_one_active',
      expression: `create unique index "signing_key_one_active" on "signing_key" ("status") where "status" = 'ACTIVE'`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    algorithm: p.string().length(20),
    status: p.enum(SIGNING_KEY_STATUSES).nativeEnumName('signing_key_status'),
    /** The public key as a JWK (`kty`, `crv`, `x`, `kid`, `alg`, `use`). */
    publicJwk: p.json<Record<string, string>>(),
    /** PKCS#8 PEM, sealed by ServerSecret.encrypt(…, `signing-key:<id>`). */
    privateKeyEncrypted: p.text(),
    createdAt: p.datetime(),
    /** When it stopped signing (a rotation). */
    rotatedAt: p.datetime().nullable(),
    retiredAt: p.datetime().nullable(),
  },
});

export type SigningKeyEntity = InferEntity<typeof SigningKey>;
