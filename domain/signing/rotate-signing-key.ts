import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { SigningKey, type SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';
import { systemActor } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { generateSigningKey } from './generate-signing-key.ts';
import { SIGNING_KEY_LOCK_ID } from './signing-keyring.ts';

/**
 * A new key signs from now on; the one it replaces becomes VERIFYING, so what it signed keeps
 * verifying until an admin retires it. Returns the new key. Audited (`signing_key.rotated`, with
 * the reason given; key ids and statuses only, never key material) in the rotation's transaction.
 */
export async function rotateSigningKey(em: EntityManager, secret: ServerSecret, acting: Acting | null = null, reason: string | null = null, now = new Date()): Promise<SigningKeyEntity> {
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?)', [SIGNING_KEY_LOCK_ID]);
    const previous = await tx.findOne(SigningKey, { status: 'ACTIVE' });
    await tx.nativeUpdate(SigningKey, { status: 'ACTIVE' }, { status: 'VERIFYING', rotatedAt: now });
    const key = tx.create(SigningKey, await generateSigningKey(secret, now));
    await tx.flush();
    await recordAuditEvent(tx, {
      actor: acting?.actor ?? systemActor('signing-key-rotation'),
      action: 'signing_key.rotated',
      target: { type: 'signing_key', id: key.id },
      reason,
      before: previous ? { active_key_id: previous.id } : null,
      after: { active_key_id: key.id, algorithm: key.algorithm, verifying_key_id: previous?.id ?? null },
      origin: acting?.origin ?? null,
    });
    return key;
  });
}
