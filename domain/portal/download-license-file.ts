import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { issueOfflineToken, type IssuedOfflineToken } from '../licenses/issue-offline-token.ts';
import { DomainError } from '../domain-error.ts';
import { Refusal } from '../refusal.ts';
import type { SigningKeyring } from '../signing/signing-keyring.ts';
import { licenseFileAllowance } from './license-file-allowance.ts';
import { findOwnedLicense } from './owned-license.ts';
import { customerActorKey, type CustomerActing } from './portal-deps.ts';
import type { EntityManager } from '@mikro-orm/postgresql';

export const licenseFileRequestSchema = z
  .object({ fingerprint: text().trim().min(1, 'type the machine\'s fingerprint').max(255, 'a fingerprint is at most 255 characters').describe('The air-gapped machine\'s fingerprint, as the product shows it.') })
  .strict();

/** A license file lasts 30 days (or until the license ends, if sooner): the machine needs a fresh one after. */
const LICENSE_FILE_DAYS = 30;

/**
 * A license file for an air-gapped machine, bound to the fingerprint the customer typed,
 * within the plan's monthly allowance. Requests of one license take turns on its row (FOR NO
 * KEY UPDATE: the token's own insert, in its own transaction, only needs KEY SHARE), so two
 * clicks cannot both take the last file of the month.
 */
export async function downloadLicenseFile(deps: { em: EntityManager; signingKeys: SigningKeyring }, acting: CustomerActing, licenseId: string, fingerprint: string, now = new Date()): Promise<IssuedOfflineToken> {
  return deps.em.fork().transactional(async (tx) => {
    const license = await findOwnedLicense(tx, acting.customer, licenseId);
    await tx.execute(`select id from license where id = ? for no key update`, [license.id]);
    const allowance = await licenseFileAllowance(tx, license.id, license.policy, now);
    if (allowance.left === 0) {
      throw new Refusal(
        'LICENSE_FILE_LIMIT_REACHED',
        allowance.limit === 0
          ? 'Your plan does not include license files for offline machines. Contact the seller.'
          : `You have downloaded ${allowance.used} of the ${allowance.limit} license files your plan allows in ${allowance.periodDays} days. Try again later, or contact the seller.`,
      );
    }
    try {
      return await issueOfflineToken(deps, license.id, { fingerprint, ttl_days: LICENSE_FILE_DAYS }, customerActorKey(acting.customer), now);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'LICENSE_NOT_ISSUABLE') throw new Refusal('LICENSE_NOT_ISSUABLE', `This license cannot be used right now, so no license file can be made: ${error.message}`);
      throw error;
    }
  });
}
