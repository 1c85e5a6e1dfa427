import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../http/text.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { Activation, AuditEvent, License } from '../../schema/entities.ts';
import { LockMode } from '@mikro-orm/core';
import { updateOverageWindow } from '../activations/overage-window.ts';
import { countSeatsInUse } from '../activations/seat-usage.ts';
import { Problem } from '../http/problem.ts';
import { loadSnapshotById } from '../validation/license-snapshot.ts';
import type { LicenseCache } from '../validation/license-cache.ts';

export const forceDeactivateSchema = z.object({ reason: text().trim().min(1).max(1000).optional() }).strict();

/** An admin frees a seat regardless of the self-service cap; the activation stays in history. */
export async function forceDeactivate(deps: { em: EntityManager; cache: LicenseCache }, licenseId: string, activationId: string, actor: string, reason: string | null) {
  await deps.em.fork().transactional(async (tx) => {
    const license = await tx.findOne(License, { id: licenseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!license) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
    const activation = await tx.findOne(Activation, { id: activationId, license: licenseId });
    if (!activation) throw new Problem('ACTIVATION_NOT_FOUND', `license ${licenseId} has no activation ${activationId}`);
    if (activation.deactivatedAt) return;
    activation.deactivatedAt = new Date();
    activation.deactivatedBy = actor;
    tx.create(AuditEvent, {
      id: randomUUID(),
      license,
      actor,
      action: 'activation.deactivated',
      reason,
      before: { activation_id: activation.id, fingerprint: activation.fingerprint },
      after: null,
    });
    await tx.flush();
    const snapshot = (await loadSnapshotById(tx, licenseId))!;
    const now = activation.deactivatedAt;
    await updateOverageWindow(tx, snapshot, await countSeatsInUse(tx, licenseId, snapshot.policy.seatModel, now), now);
    await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, licenseId]);
  });
  deps.cache.invalidate(licenseId);
}
