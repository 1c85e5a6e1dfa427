import type { EntityManager } from '@mikro-orm/postgresql';
import type { Acting } from '../staff/staff-deps.ts';
import { recordAuditEvent, type AuditEntry } from './record-audit-event.ts';

/** What a write reports to the trail: everything but who and from where (the caller's). */
export type AuditedChange = Omit<AuditEntry, 'actor' | 'origin'>;

/**
 * Runs an admin write and appends its audit event in one transaction, so the change and its
 * record commit together or not at all. `write` flushes its own changes and says what changed;
 * it returns `event: null` when nothing did (an edit that set every field to its value).
 */
export async function auditedWrite<T>(em: EntityManager, acting: Acting, write: (tx: EntityManager) => Promise<{ result: T; event: AuditedChange | null }>): Promise<T> {
  return em.fork().transactional(async (tx) => {
    const { result, event } = await write(tx);
    if (event) await recordAuditEvent(tx, { ...event, actor: acting.actor, origin: acting.origin });
    return result;
  });
}

/**
 * The fields whose values differ between two views, each side with only those fields (the
 * trail shows what an edit changed, not the whole object twice); null when nothing changed.
 */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (fields.length === 0) return null;
  return { before: Object.fromEntries(fields.map((f) => [f, before[f] ?? null])), after: Object.fromEntries(fields.map((f) => [f, after[f] ?? null])) };
}
