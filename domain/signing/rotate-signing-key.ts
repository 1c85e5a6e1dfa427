import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { SigningKey, type SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';
import { generateSigningKey } from './generate-signing-key.ts';
import { SIGNING_KEY_LOCK_ID } from './signing-keyring.ts';

/**
 * A new key signs from now on; the one it replaces becomes VERIFYING, so what it signed keeps
 * verifying until an admin retires it. Returns the new key.
 */
export async function rotateSigningKey(em: EntityManager, secret: ServerSecret, now = new Date()): Promise<SigningKeyEntity> {
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?)', [SIGNING_KEY_LOCK_ID]);
    await tx.nativeUpdate(SigningKey, { status: 'ACTIVE' }, { status: 'VERIFYING', rotatedAt: now });
    return tx.create(SigningKey, await generateSigningKey(secret, now));
  });
}
