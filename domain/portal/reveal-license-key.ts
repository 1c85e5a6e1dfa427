import type { EntityManager } from '@mikro-orm/postgresql';
import { licenseKeyContext } from '../../lib/issued-license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { findOwnedLicense } from './owned-license.ts';
import { customerActor, type CustomerActing } from './portal-deps.ts';

/**
 * The license key, shown to its customer on demand (after they confirm in the page): decrypted
 * from the copy kept for re-sending it, and audited (that it was shown, never the key).
 */
export async function revealLicenseKey(deps: { em: EntityManager; secret: ServerSecret }, acting: CustomerActing, licenseId: string): Promise<{ key: string }> {
  return deps.em.fork().transactional(async (tx) => {
    const license = await findOwnedLicense(tx, acting.customer, licenseId);
    const [row] = await tx.execute<{ key_ciphertext: string | null }[]>(`select key_ciphertext from license where id = ?`, [license.id]);
    if (!row?.key_ciphertext) throw new Refusal('KEY_NOT_AVAILABLE', 'This key was issued before keys were kept for re-sending, so it cannot be shown. Contact the seller for a new key.');
    const key = deps.secret.decrypt(row.key_ciphertext, licenseKeyContext(license.id));
    await recordAuditEvent(tx, {
      actor: customerActor(acting.customer),
      action: 'license.key_revealed',
      target: { type: 'license', id: license.id },
      licenseId: license.id,
      after: { key_hint: license.keyHint },
      origin: acting.origin,
    });
    return { key };
  });
}
