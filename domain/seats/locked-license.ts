import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import type { CachedLicenses } from './cached-licenses.ts';
import { loadSnapshotByKeyHash, type LicenseSnapshot } from '../licenses/license-snapshot.ts';
import type { ActivationRejectionCode } from '../licenses/validation-codes.ts';

export interface ActivationDeps {
  em: EntityManager;
  cache: CachedLicenses;
}

/** An expected refusal: answered as 422 with its code and a sentence a person can act on. */
export interface Rejection {
  rejected: true;
  code: ActivationRejectionCode | 'NOT_FOUND';
  detail: string;
}

export const reject = (code: Rejection['code'], detail: string): Rejection => ({ rejected: true, code, detail });

export interface AuditEntry {
  action: string;
  actor: string;
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** How a person reads the actor (a customer's e-mail), and the request that caused it. */
  actorLabel?: string | null;
  origin?: RequestOrigin | null;
}

/**
 * Runs `work` in a transaction holding the lock of the license row (found by its key's lookup
 * hash), so seat checks and writes on one license are serialised (and licenses never wait for
 * each other). Writes its audit entries, NOTIFYs API replicas, and drops this replica's cached
 * copy after commit. Deactivations and heartbeats go this way; activations take the same lock
 * in keywarden_hot_path.activate() (domain/seats/activate-seat.ts).
 */
export async function withLockedLicense<T>(
  deps: ActivationDeps,
  keyHash: string,
  work: (tx: EntityManager, license: LicenseSnapshot, audit: (entry: AuditEntry) => void) => Promise<T | Rejection>,
): Promise<T | Rejection> {
  let licenseId: string | undefined;
  const result = await deps.em.fork().transactional(async (tx) => {
    const license = await loadSnapshotByKeyHash(tx, keyHash, { lock: true });
    if (!license) return reject('NOT_FOUND', 'No license matches this key. Check it for typos, or contact the seller.');
    licenseId = license.id;
    const entries: AuditEntry[] = [];
    const outcome = await work(tx, license, (entry) => entries.push(entry));
    for (const entry of entries) {
      await tx.execute(
        `insert into audit_event (id, license_id, actor, actor_label, action, reason, before, after, ip, user_agent, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
        [
          randomUUID(),
          license.id,
          entry.actor,
          entry.actorLabel?.slice(0, 320) ?? null,
          entry.action,
          entry.reason ?? null,
          entry.before ? JSON.stringify(entry.before) : null,
          entry.after ? JSON.stringify(entry.after) : null,
          entry.origin?.ip?.slice(0, 64) ?? null,
          entry.origin?.userAgent?.slice(0, 512) ?? null,
        ],
      );
    }
    if (entries.length) await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, license.id]);
    return outcome;
  });
  if (licenseId) deps.cache.invalidate(licenseId);
  return result;
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as Rejection).rejected === true;
}
