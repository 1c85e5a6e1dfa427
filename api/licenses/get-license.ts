import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, License } from '../../schema/entities.ts';
import { Problem } from '../http/problem.ts';
import { auditEventResource, licenseResource } from './license.resource.ts';

/** One license with its audit history, newest first. */
export async function getLicense(em: EntityManager, id: string) {
  const fork = em.fork();
  const license = await fork.findOne(License, { id });
  if (!license) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${id}`);
  const events = await fork.find(AuditEvent, { license: id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 100 });
  return { ...licenseResource(license), audit_events: events.map(auditEventResource) };
}
