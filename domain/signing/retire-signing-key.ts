import type { EntityManager } from '@mikro-orm/postgresql';
import { SigningKey, type SigningKeyEntity } from '../../schema/signing/signing-key.entity.ts';
import { systemActor } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { SIGNING_KEY_LOCK_ID } from './signing-keyring.ts';

/**
 * Takes a rotated-out key out of the JWKS: clients stop trusting what it signed. The ACTIVE key
 * cannot be retired (rotate first). Retiring a retired key changes nothing (and records nothing);
 * a retirement is audited (`signing_key.retired`, with the reason given) in its transaction.
 */
export async function retireSigningKey(em: EntityManager, id: string, acting: Acting | null = null, reason: string | null = null, now = new Date()): Promise<SigningKeyEntity> {
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?)', [SIGNING_KEY_LOCK_ID]);
    const key = await tx.findOne(SigningKey, { id });
    if (!key) throw new DomainError('SIGNING_KEY_NOT_FOUND', `no signing key with id ${id}`);
    if (key.status === 'ACTIVE') throw new DomainError('SIGNING_KEY_ACTIVE', 'this key signs new answers and tokens; rotate to a new key before retiring it');
    if (key.status === 'VERIFYING') {
      key.status = 'RETIRED';
      key.retiredAt = now;
      await tx.flush();
      await recordAuditEvent(tx, {
        actor: acting?.actor ?? systemActor('signing-key-rotation'),
        action: 'signing_key.retired',
        target: { type: 'signing_key', id: key.id },
        reason,
        before: { status: 'VERIFYING' },
        after: { status: 'RETIRED', retired_at: now.toISOString() },
        origin: acting?.origin ?? null,
      });
    }
    return key;
  });
}
