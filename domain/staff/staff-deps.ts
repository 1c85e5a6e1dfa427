import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { AuditActor, RequestOrigin } from '../audit/audit-actor.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { StaffMailer } from './staff-mailer.ts';

/** What the staff operations take: the database, the server secret, sessions, the mailer, settings. */
export interface StaffDeps {
  em: EntityManager;
  secret: ServerSecret;
  sessions: SessionStore;
  mailer: StaffMailer;
  logger: Logger;
  publicUrl: string;
  passwordMinLength: number;
}

/** Who asks, and from where: every write of the identity area is audited with both. */
export interface Acting {
  actor: AuditActor;
  /** The license trail's spelling of the actor (`staff:<email>`, `admin:<token>`), for `created_by` columns. */
  label: string;
  origin: RequestOrigin | null;
}

/** What operations that only need the database and the server secret take (two-factor, tokens). */
export interface SecretDeps {
  em: EntityManager;
  secret: ServerSecret;
}
