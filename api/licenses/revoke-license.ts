import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { text } from '../http/text.ts';
import { License } from '../../schema/entities.ts';
import { workflowIdFor } from '../../workflows/license-state.ts';
import { revokeUpdate } from '../../workflows/messages.ts';
import { isProblemCode, Problem } from '../http/problem.ts';

export const revokeLicenseSchema = z.object({ reason: text().trim().min(1).max(1000) }).strict();

export interface LicenseCommandDeps {
  em: EntityManager;
  temporal: Client;
}

/** Maps a rejected workflow update to the API's problem codes. */
export function updateRejection(error: unknown): Problem | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type;
    if (isProblemCode(type)) return new Problem(type, error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError) {
    return new Problem('LIFECYCLE_UNAVAILABLE', 'this license has no running lifecycle workflow; reconciliation will restore it');
  }
  return undefined;
}

/** Revokes through the license's workflow, which writes Postgres before answering. */
export async function revokeLicense(deps: LicenseCommandDeps, id: string, reason: string, actor: string) {
  const license = await deps.em.fork().findOne(License, { id });
  if (!license) throw new Problem('LICENSE_NOT_FOUND', `no license with id ${id}`);
  if (license.status === 'REVOKED') throw new Problem('LICENSE_ALREADY_REVOKED', `license ${id} is already revoked`);
  const handle = deps.temporal.workflow.getHandle(workflowIdFor(id));
  try {
    return await handle.executeUpdate(revokeUpdate, { args: [{ actor, reason }] });
  } catch (error) {
    throw updateRejection(error) ?? error;
  }
}
