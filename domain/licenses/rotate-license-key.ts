import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { generateLicenseKey, licenseKeyHint, TRIAL_KEY_PREFIX } from '../../lib/license-key.ts';
import { licenseKeyContext } from '../../lib/issued-license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { text } from '../../lib/text.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { AuditActor, RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import { LICENSE_KEY_ROTATED } from '../outbox/message-events.ts';
import type { MessageDeliveries } from '../outbox/queue-message.ts';
import type { CachedLicenses } from '../seats/cached-licenses.ts';
import { queueKeyEmail, type KeyEmailOutcome } from './queue-key-email.ts';

/** The longest overlap a rotation may give the old key: 7 days. */
export const MAX_KEY_OVERLAP_SECONDS = 7 * 86_400;

export const rotateLicenseKeySchema = z
  .object({
    /** Why the key is replaced (a leak, a departed employee): kept in the audit trail. */
    reason: text().trim().min(1).max(1000),
    /** How long the old key keeps working beside the new one; 0 (the default): it stops at once. */
    overlap_seconds: z.number().int().min(0).max(MAX_KEY_OVERLAP_SECONDS).default(0),
    /** E-mail the new key to the customer (the key e-mail); `false` to skip. */
    notify: z.boolean().default(true),
  })
  .strict();

export type RotateLicenseKeyInput = z.input<typeof rotateLicenseKeySchema>;

export interface RotateLicenseKeyDeps {
  em: EntityManager;
  secret: ServerSecret;
  /** Starts the key e-mail's delivery; without it the worker's outbox sweep does. */
  deliveries?: MessageDeliveries;
  /** This replica's validation cache (other replicas drop theirs on the NOTIFY). */
  cache?: Pick<CachedLicenses, 'invalidate'>;
}

/** Who rotates, and from where: staff, an API token, a customer (the portal), or a job. */
export interface KeyOperationActor {
  actor: AuditActor;
  /** The license trail's spelling (`staff:<email>`, `admin:<token>`, `customer:<id>`), kept on the retired key. */
  label: string;
  origin: RequestOrigin | null;
}

export interface RotatedLicenseKey {
  licenseId: string;
  /** The new key: returned once to the caller, e-mailed from its encrypted copy, never stored in clear. */
  key: string;
  keyHint: string;
  previousKeyHint: string;
  /** Until when the old key still works (the rotation's time when there is no overlap). */
  previousKeyWorksUntil: Date;
  email: KeyEmailOutcome | { queued: false; reason: 'not requested' };
}

/**
 * Replaces a license's key (a leaked key: same license, new key). In one transaction, under the
 * license row's lock: the old key's hash moves to `retired_license_key` (working until the
 * overlap ends, then answering KEY_ROTATED), the license takes the new key's hash, hint and
 * encrypted copy, any earlier retired key of the license stops at once (a second rotation means
 * the earlier overlap is not to be trusted either), the audit trail records actor, reason and
 * hints (never a key), and every API replica is told to forget the license (NOTIFY, at commit).
 * Activations, status and dates stay as they are. Then the new key is e-mailed.
 */
export async function rotateLicenseKey(
  deps: RotateLicenseKeyDeps,
  licenseId: string,
  input: RotateLicenseKeyInput,
  acting: KeyOperationActor,
  now = new Date(),
): Promise<RotatedLicenseKey> {
  const { reason, overlap_seconds: overlap, notify } = rotateLicenseKeySchema.parse(input);
  const worksUntil = new Date(now.getTime() + overlap * 1000);
  const rotated = await deps.em.fork().transactional(async (tx) => {
    const [license] = await tx.execute<{ id: string; status: string; key_hash: string; key_hint: string }[]>(
      `select id, status, key_hash, key_hint from license where id = ? for update`,
      [licenseId],
    );
    if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
    if (license.status === 'REVOKED') throw new DomainError('LICENSE_ALREADY_REVOKED', `license ${licenseId} is revoked: its key cannot be replaced`);
    const key = generateLicenseKey({ trial: license.key_hint.startsWith(`${TRIAL_KEY_PREFIX}-`) });
    const keyHint = licenseKeyHint(key);
    await tx.execute(`update retired_license_key set works_until = least(works_until, ?) where license_id = ?`, [now, licenseId]);
    await tx.execute(
      `insert into retired_license_key (key_hash, license_id, key_hint, retired_at, works_until, retired_by) values (?, ?, ?, ?, ?, ?)`,
      [license.key_hash, licenseId, license.key_hint, now, worksUntil, acting.label.slice(0, 200)],
    );
    await tx.execute(`update license set key_hash = ?, key_hint = ?, key_ciphertext = ?, updated_at = ? where id = ?`, [
      deps.secret.lookupHash(key),
      keyHint,
      deps.secret.encrypt(key, licenseKeyContext(licenseId)),
      now,
      licenseId,
    ]);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'license.key_rotated',
      target: { type: 'license', id: licenseId },
      reason,
      before: { key_hint: license.key_hint },
      after: { key_hint: keyHint, previous_key_works_until: worksUntil.toISOString(), overlap_seconds: overlap, emailed: notify },
      origin: acting.origin,
      licenseId,
    });
    await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, licenseId]);
    return { key, keyHint, previousKeyHint: license.key_hint };
  });
  deps.cache?.invalidate(licenseId);
  const email = notify
    ? await queueKeyEmail(deps, licenseId, LICENSE_KEY_ROTATED, { previous_key_hint: rotated.previousKeyHint, previous_key_works_until: worksUntil.toISOString() })
    : ({ queued: false, reason: 'not requested' } as const);
  return { licenseId, ...rotated, previousKeyWorksUntil: worksUntil, email };
}
