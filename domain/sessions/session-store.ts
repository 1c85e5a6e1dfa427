import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';

export interface SessionLifetimes {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

/** One row of a session table (`schema/staff/session-table.ts`), with its table's own columns in `extra`. */
export interface SessionRecord {
  id: string;
  ownerId: string;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  ip: string | null;
  userAgent: string | null;
  extra: Record<string, unknown>;
}

export type SessionLookup =
  | { state: 'ACTIVE'; session: SessionRecord }
  | { state: 'IDLE_TIMEOUT' | 'EXPIRED' | 'REVOKED'; session: SessionRecord }
  | { state: 'UNKNOWN' };

const COMMON = ['id', 'owner_id', 'token_hash', 'created_at', 'last_seen_at', 'idle_expires_at', 'expires_at', 'revoked_at', 'revoked_reason', 'ip', 'user_agent'];

function toRecord(row: Record<string, unknown>): SessionRecord {
  const extra = Object.fromEntries(Object.entries(row).filter(([column]) => !COMMON.includes(column)));
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  return {
    id: row.id as string,
    ownerId: row.owner_id as string,
    createdAt: date(row.created_at)!,
    lastSeenAt: date(row.last_seen_at)!,
    idleExpiresAt: date(row.idle_expires_at)!,
    expiresAt: date(row.expires_at)!,
    revokedAt: date(row.revoked_at),
    revokedReason: (row.revoked_reason as string | null) ?? null,
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    extra,
  };
}

/**
 * Server-side cookie sessions on any session table: the staff console's (`staff_session`) and,
 * with its own table, the customer portal's. The cookie carries a random 256-bit secret; the
 * table keeps its keyed hash. The CSRF token is derived from the secret under the server
 * secret: nothing more to store, it changes with every session, and it can be given again to
 * the browser that holds the cookie.
 */
export class SessionStore {
  readonly table: string;
  readonly lifetimes: SessionLifetimes;
  readonly #em: EntityManager;
  readonly #secret: ServerSecret;

  constructor(options: { em: EntityManager; secret: ServerSecret; table: string; lifetimes: SessionLifetimes }) {
    if (!/^[a-z_]+$/.test(options.table)) throw new Error(`not a session table name: ${options.table}`);
    this.table = options.table;
    this.lifetimes = options.lifetimes;
    this.#em = options.em;
    this.#secret = options.secret;
  }

  #hash(token: string) {
    return this.#secret.lookupHash(`session:${this.table}:${token}`);
  }

  /** The CSRF token of the session whose cookie holds `token`. */
  csrfToken(token: string): string {
    return Buffer.from(this.#secret.lookupHash(`csrf:${this.table}:${token}`), 'hex').toString('base64url');
  }

  /** Whether `candidate` is that session's CSRF token (constant time). */
  csrfTokenMatches(token: string, candidate: string): boolean {
    const expected = Buffer.from(this.csrfToken(token));
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** A new session: always a new id and secret (sign-in rotates, never reuses). */
  async create(em: EntityManager, ownerId: string, origin: RequestOrigin, extra: Record<string, unknown> = {}, now = new Date()): Promise<{ token: string; session: SessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.lifetimes.absoluteMs);
    const idleExpiresAt = new Date(Math.min(now.getTime() + this.lifetimes.idleMs, expiresAt.getTime()));
    const columns = Object.keys(extra);
    for (const column of columns) if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
    const rows = await em.execute<Record<string, unknown>[]>(
      `insert into "${this.table}" (id, owner_id, token_hash, created_at, last_seen_at, idle_expires_at, expires_at, ip, user_agent${columns.map((c) => `, "${c}"`).join('')})
       values (?, ?, ?, ?, ?, ?, ?, ?, ?${columns.map(() => ', ?').join('')}) returning *`,
      [randomUUID(), ownerId, this.#hash(token), now, now, idleExpiresAt, expiresAt, origin.ip?.slice(0, 64) ?? null, origin.userAgent?.slice(0, 512) ?? null, ...Object.values(extra)],
    );
    return { token, session: toRecord(rows[0]!) };
  }

  /** The session a cookie names, and whether it is still good. */
  async lookup(token: string, now = new Date()): Promise<SessionLookup> {
    const [row] = await this.#em.fork().execute<Record<string, unknown>[]>(`select * from "${this.table}" where token_hash = ?`, [this.#hash(token)]);
    if (!row) return { state: 'UNKNOWN' };
    const session = toRecord(row);
    if (session.revokedAt) return { state: 'REVOKED', session };
    if (session.expiresAt <= now) return { state: 'EXPIRED', session };
    if (session.idleExpiresAt <= now) return { state: 'IDLE_TIMEOUT', session };
    return { state: 'ACTIVE', session };
  }

  /**
   * Slides the idle deadline (never past the absolute one). Written at most every tenth of the
   * idle timeout (and at least every minute), so a busy console does not write on every request.
   */
  async touch(session: SessionRecord, now = new Date()): Promise<void> {
    const every = Math.min(60_000, this.lifetimes.idleMs / 10);
    if (now.getTime() - session.lastSeenAt.getTime() < every) return;
    const idle = new Date(Math.min(now.getTime() + this.lifetimes.idleMs, session.expiresAt.getTime()));
    await this.#em.fork().execute(`update "${this.table}" set last_seen_at = ?, idle_expires_at = ? where id = ? and revoked_at is null`, [now, idle, session.id]);
    session.lastSeenAt = now;
    session.idleExpiresAt = idle;
  }

  async find(em: EntityManager, id: string): Promise<SessionRecord | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(`select * from "${this.table}" where id = ?`, [id]);
    return row ? toRecord(row) : null;
  }

  /** Ends one session; false when it had already ended. */
  async revoke(em: EntityManager, id: string, reason: string): Promise<boolean> {
    const rows = await em.execute(`update "${this.table}" set revoked_at = now(), revoked_reason = ? where id = ? and revoked_at is null returning id`, [reason.slice(0, 100), id]);
    return rows.length > 0;
  }

  /** Ends every live session of an owner (but `keep`); answers the ids ended. */
  async revokeAll(em: EntityManager, ownerId: string, reason: string, keep?: string): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `update "${this.table}" set revoked_at = now(), revoked_reason = ?
        where owner_id = ? and revoked_at is null and expires_at > now() and idle_expires_at > now() and id <> coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
        returning id`,
      [reason.slice(0, 100), ownerId, keep ?? null],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes sessions that ended more than `keepMs` ago (30 days by default): the audit trail keeps their story. */
  async prune(em: EntityManager, keepMs = 30 * 86_400_000, now = new Date()): Promise<void> {
    const before = new Date(now.getTime() - keepMs);
    await em.execute(`delete from "${this.table}" where expires_at < ? or revoked_at < ? or idle_expires_at < ?`, [before, before, before]);
  }

  /** An owner's sessions that are still good, newest first. */
  async listActive(ownerId: string, now = new Date()): Promise<SessionRecord[]> {
    const rows = await this.#em.fork().execute<Record<string, unknown>[]>(
      `select * from "${this.table}" where owner_id = ? and revoked_at is null and expires_at > ? and idle_expires_at > ? order by created_at desc, id desc`,
      [ownerId, now, now],
    );
    return rows.map(toRecord);
  }
}
