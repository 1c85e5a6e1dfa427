import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorKey, type AuditActor, type RequestOrigin } from './audit-actor.ts';

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted, past tense: `staff.invited`, `api_token.revoked`, `setting.updated`. */
  action: string;
  target: { type: string; id: string | null };
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** The request that caused it; none for system work. */
  origin?: RequestOrigin | null;
  /** Set for changes to a license, so the license's own trail lists them. */
  licenseId?: string | null;
}

/**
 * Field names that hold secrets. Callers pass public views of what changed; this is the last
 * line that keeps a secret out of the append-only table if one slips into a view.
 */
const SECRET_FIELD = /(password|secret|token_hash|tokenhash|code_hash|codehash|ciphertext|recovery_codes|^token$|^code$|^link$|^url$|^key$)/i;

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([name]) => !SECRET_FIELD.test(name)).map(([name, inner]) => [name, withoutSecrets(inner)]));
  }
  return value;
}

const clip = (value: string | null | undefined, length: number) => (value ? value.slice(0, length) : null);

/**
 * The one audit writer: appends a row in the caller's transaction (pass the transaction's
 * entity manager), so the change and its record commit together or not at all.
 */
export async function recordAuditEvent(em: EntityManager, entry: AuditEntry): Promise<string> {
  const id = randomUUID();
  await em.execute(
    `insert into audit_event (id, license_id, actor, actor_label, action, target_type, target_id, reason, before, after, ip, user_agent, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())`,
    [
      id,
      entry.licenseId ?? null,
      actorKey(entry.actor).slice(0, 200),
      clip(entry.actor.label, 320),
      entry.action,
      entry.target.type,
      entry.target.id,
      entry.reason ?? null,
      entry.before ? JSON.stringify(withoutSecrets(entry.before)) : null,
      entry.after ? JSON.stringify(withoutSecrets(entry.after)) : null,
      clip(entry.origin?.ip, 64),
      clip(entry.origin?.userAgent, 512),
    ],
  );
  return id;
}
