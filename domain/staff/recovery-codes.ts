import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U
export const RECOVERY_CODE_COUNT = 10;

/** Spaces, dashes and case do not matter; look-alikes are read as the code's own letters. */
export const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

const hashCode = (secret: ServerSecret, code: string) => secret.lookupHash(`recovery-code:${normaliseRecoveryCode(code)}`);

/**
 * Replaces a member's recovery codes with ten new ones (50 bits each, `XXXXX-XXXXX`), stored
 * as keyed hashes; the codes themselves are returned to be shown once.
 */
export async function replaceRecoveryCodes(em: EntityManager, secret: ServerSecret, memberId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await em.execute(`delete from recovery_code where staff_member_id = ?`, [memberId]);
  for (const code of codes) {
    await em.execute(`insert into recovery_code (id, staff_member_id, code_hash, used_at, created_at) values (?, ?, ?, null, now())`, [randomUUID(), memberId, hashCode(secret, code)]);
  }
  return codes;
}

/** Uses up one of the member's recovery codes; false when it is not one, or was used. */
export async function useRecoveryCode(em: EntityManager, secret: ServerSecret, memberId: string, code: string): Promise<boolean> {
  const rows = await em.execute(`update recovery_code set used_at = now() where staff_member_id = ? and code_hash = ? and used_at is null returning id`, [memberId, hashCode(secret, code)]);
  return rows.length > 0;
}
