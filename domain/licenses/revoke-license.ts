import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { License } from '../../schema/entities.ts';
import { DomainError } from '../domain-error.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { commandActor, type LicenseActor } from './license-actor.ts';

export const revokeLicenseSchema = z.object({ reason: text().trim().min(1).max(1000) }).strict();

export interface LicenseCommandDeps {
  em: EntityManager;
  lifecycle: LicenseLifecycle;
}

/** Revokes through the license's workflow, which writes Postgres before answering. */
export async function revokeLicense(deps: LicenseCommandDeps, id: string, reason: string, actor: LicenseActor) {
  const license = await deps.em.fork().findOne(License, { id });
  if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${id}`);
  if (license.status === 'REVOKED') throw new DomainError('LICENSE_ALREADY_REVOKED', `license ${id} is already revoked`);
  return deps.lifecycle.update(id, { name: 'revoke', args: { ...commandActor(actor), reason } });
}
