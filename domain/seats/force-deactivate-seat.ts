import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { Activation, License } from '../../schema/entities.ts';
import { LockMode } from '@mikro-orm/core';
import { updateOverageWindow } from './overage-window.ts';
import { countSeatsInUse } from './seat-usage.ts';
import { DomainError } from '../domain-error.ts';
import { actorLabel, type LicenseActor } from '../licenses/license-actor.ts';
import { loadSnapshotById } from '../licenses/license-snapshot.ts';
import { recordLicenseEvent } from '../licenses/record-license-event.ts';
import type { CachedLicenses } from './cached-licenses.ts';

export const forceDeactivateSchema = z.object({ reason: text().trim().min(1).max(1000).optional() }).strict();

/** An admin frees a seat regardless of the self-service cap; the activation stays in history. */
export async function forceDeactivateSeat(deps: { em: EntityManager; cache: CachedLicenses }, licenseId: string, activationId: string, actor: LicenseActor, reason: string | null) {
  await deps.em.fork().transactional(async (tx) => {
    const license = await tx.findOne(License, { id: licenseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
    const activation = await tx.findOne(Activation, { id: activationId, license: licenseId });
    if (!activation) throw new DomainError('ACTIVATION_NOT_FOUND', `license ${licenseId} has no activation ${activationId}`);
    if (activation.deactivatedAt) return;
    activation.deactivatedAt = new Date();
    activation.deactivatedBy = actorLabel(actor);
    await tx.flush();
    await recordLicenseEvent(tx, actor, licenseId, {
      action: 'activation.deactivated',
      reason,
      before: { activation_id: activation.id, fingerprint: activation.fingerprint },
      after: null,
    });
    const snapshot = (await loadSnapshotById(tx, licenseId))!;
    const now = activation.deactivatedAt;
    await updateOverageWindow(tx, snapshot, await countSeatsInUse(tx, licenseId, snapshot.policy.seatModel, now), now);
    await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, licenseId]);
  });
  deps.cache.invalidate(licenseId);
}
