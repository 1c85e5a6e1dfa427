import type { EntityManager } from '@mikro-orm/postgresql';
import { License } from '../../schema/entities.ts';
import { DomainError } from '../domain-error.ts';

/** The license with its plan, or LICENSE_NOT_FOUND. */
export async function findLicense(em: EntityManager, id: string) {
  const license = await em.fork().findOne(License, { id }, { populate: ['plan'] });
  if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${id}`);
  return license;
}
