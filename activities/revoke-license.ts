import type { EntityManager } from '@mikro-orm/postgresql';
import { applyLicenseTransition, type TransitionResult } from './license-transition.ts';

export interface RevokeLicenseInput {
  licenseId: string;
  actor: string;
  reason: string;
}

/** Marks the license REVOKED in Postgres; the very next validation rejects it. */
export function revokeLicense(em: EntityManager) {
  return (input: RevokeLicenseInput): Promise<TransitionResult> =>
    applyLicenseTransition(em, { ...input, to: 'REVOKED', action: 'license.revoked' });
}
