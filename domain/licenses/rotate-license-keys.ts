import { z } from 'zod';
import { idParam } from '../ids.ts';
import { DomainError } from '../domain-error.ts';
import { rotateLicenseKey, rotateLicenseKeySchema, type KeyOperationActor, type RotatedLicenseKey, type RotateLicenseKeyDeps } from './rotate-license-key.ts';

/** At most this many licenses per call: one request, each license its own transaction. */
export const MAX_BULK_ROTATIONS = 100;

export const rotateLicenseKeysSchema = rotateLicenseKeySchema.extend({
  license_ids: z
    .array(idParam)
    .min(1)
    .max(MAX_BULK_ROTATIONS)
    .refine((ids) => new Set(ids).size === ids.length, 'license_ids: each license at most once'),
});
export type RotateLicenseKeysInput = z.input<typeof rotateLicenseKeysSchema>;

export type LicenseKeyRotationOutcome = { licenseId: string; rotated: Omit<RotatedLicenseKey, 'key'> } | { licenseId: string; refused: DomainError };

/**
 * Rotates the keys of several licenses (an owner's response to a leak of many keys), one after
 * another, each as rotateLicenseKey does and in its own transaction: a license that cannot be
 * rotated (unknown, revoked) is reported and the others go on. New keys are not returned: they
 * are e-mailed (or sent again later).
 */
export async function rotateLicenseKeys(deps: RotateLicenseKeyDeps, input: RotateLicenseKeysInput, acting: KeyOperationActor): Promise<LicenseKeyRotationOutcome[]> {
  const { license_ids: ids, ...rotation } = rotateLicenseKeysSchema.parse(input);
  const outcomes: LicenseKeyRotationOutcome[] = [];
  for (const licenseId of ids) {
    try {
      const { key: _key, ...rotated } = await rotateLicenseKey(deps, licenseId, rotation, acting);
      outcomes.push({ licenseId, rotated });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcomes.push({ licenseId, refused: error });
    }
  }
  return outcomes;
}
