import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from './license.entity.ts';

/**
 * A key a license no longer has: rotated out (domain/licenses/rotate-license-key.ts). Kept by
 * its lookup hash so validation can tell a replaced key (`KEY_ROTATED`: ask the user for the
 * new one) from an unknown one, and so the old key keeps working until `worksUntil` (the
 * rotation's overlap window; equal to `retiredAt` when there is none). Never the key itself.
 */
export const RetiredLicenseKey = defineEntity({
  name: 'RetiredLicenseKey',
  tableName: 'retired_license_key',
  indexes: [{ name: 'retired_license_key_license_index', properties: ['license', 'retiredAt'] }],
  properties: {
    /** HMAC of the old key under the server secret, as `license.key_hash` was. */
    keyHash: p.string().length(64).primary(),
    license: () => p.manyToOne(License).deleteRule('cascade'),
    /** What staff saw of the old key (`KW-…-7QXM`). */
    keyHint: p.string().length(32),
    retiredAt: p.datetime(),
    /** Until when the old key still works as the new one does (the overlap window's end). */
    worksUntil: p.datetime(),
    /** The license trail's actor string of who rotated it. */
    retiredBy: p.string().length(200),
  },
});

export type RetiredLicenseKeyEntity = InferEntity<typeof RetiredLicenseKey>;
