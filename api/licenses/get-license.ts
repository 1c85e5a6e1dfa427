import type { EntityManager } from '@mikro-orm/postgresql';
import { Activation, AuditEvent, License } from '../../schema/entities.ts';
import { countSeatsInUse } from '../../domain/seats/seat-usage.ts';
import { Problem } from '../http/problem.ts';
import { loadSnapshotById } from '../../domain/licenses/license-snapshot.ts';
import { activationResource, auditEventResource, licenseResource } from './license.resource.ts';

/** The admin view of one license, without its history. */
export async function licenseView(em: EntityManager, id: string) {
  const fork = em.fork();
  const [snapshot, row] = await Promise.all([loadSnapshotById(fork, id), fork.findOne(License, { id })]);
  if (!snapshot || !row) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${id}`);
  const customerId = row.customer ? (typeof row.customer === 'object' ? row.customer.id : (row.customer as string)) : null;
  return {
    ...licenseResource({ ...snapshot, keyHint: row.keyHint, customerId, overrides: row.overrides as Record<string, unknown>, metadata: row.metadata, createdAt: row.createdAt, updatedAt: row.updatedAt }),
    current_activations: await countSeatsInUse(fork, id, snapshot.policy.seatModel, new Date()),
  };
}

/** One license with its activation history and audit trail, newest first. */
export async function getLicense(em: EntityManager, id: string) {
  const view = await licenseView(em, id);
  const fork = em.fork();
  const [activations, events] = await Promise.all([
    fork.find(Activation, { license: id }, { orderBy: { firstSeenAt: 'desc', id: 'desc' }, limit: 500 }),
    fork.find(AuditEvent, { license: id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200 }),
  ]);
  return { ...view, activations: activations.map(activationResource), audit_events: events.map(auditEventResource) };
}
