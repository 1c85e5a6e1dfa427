import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';
import { SigningKey } from '../signing/signing-key.entity.ts';

/**
 * The log of offline license tokens: who issued one, when, for which machine, until when.
 * The token itself is never stored: only its id (the JWT `jti`) and a SHA-256 of it, enough to
 * recognise a token someone presents.
 */
export const OfflineToken = defineEntity({
  name: 'OfflineToken',
  tableName: 'offline_token',
  indexes: [{ name: 'offline_token_license_issued_index', properties: ['license', 'issuedAt'] }],
  properties: {
    /** The token's `jti`. */
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade'),
    signingKey: () => p.manyToOne(SigningKey),
    tokenSha256: p.string().length(64),
    /** `admin:<token name>`. */
    issuedBy: p.string().length(200),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    fingerprint: p.string().length(255).nullable(),
    domain: p.string().length(255).nullable(),
  },
});

export type OfflineTokenEntity = InferEntity<typeof OfflineToken>;
