import type { LicenseSnapshot } from '../licenses/license-snapshot.ts';

/**
 * The API replica's validation cache as seat operations use it (api/validation/license-cache.ts
 * is one): a snapshot remembered by key hash, and a license dropped after a write to it (other
 * replicas drop theirs on the write's NOTIFY).
 */
export interface CachedLicenses {
  get(keyHash: string): { snapshot: LicenseSnapshot } | undefined;
  invalidate(licenseId: string): void;
}
