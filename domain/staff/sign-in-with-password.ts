import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { StaffMember, type StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import { Refusal } from '../refusal.ts';
import { verifyPassword } from './password-hash.ts';
import { normaliseEmail } from './staff-view.ts';
import { verifySecondFactor } from './verify-second-factor.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { SignInThrottle } from '../sessions/sign-in-throttle.ts';
import { startStaffSession, type StartedSession } from './start-staff-session.ts';

export interface SignInDeps {
  em: EntityManager;
  secret: ServerSecret;
  sessions: SessionStore;
  throttle: SignInThrottle;
  logger: Logger;
}

export interface SignInInput {
  email: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
  /** The session the browser held before (its id): replaced, never kept, on sign-in. */
  replacing?: string | null;
}

const INVALID = () => new Refusal('INVALID_CREDENTIALS', 'the e-mail or the password is wrong');

/**
 * Signs a staff member in with e-mail and password (and a second factor when they have one).
 * Unknown e-mails and wrong passwords answer alike, after the same argon2 work; failures count
 * per account and per IP, and a locked account or IP is refused before any check
 * (SIGN_IN_LOCKED, with the seconds to wait). A disabled account is said to be so only to
 * someone who knows its password.
 */
export async function signInWithPassword(deps: SignInDeps, input: SignInInput, origin: RequestOrigin): Promise<StartedSession & { member: StaffMemberEntity }> {
  const em = deps.em.fork();
  const email = normaliseEmail(input.email);
  const keys = deps.throttle.keys(email, origin.ip);
  const locked = await deps.throttle.lockedFor(em, [keys.account, keys.ip]);
  if (locked) throw new Refusal('SIGN_IN_LOCKED', `too many failed sign-ins; try again in ${locked} s`, { retryAfterSeconds: locked });
  const fail = async (refusal: Refusal, why: string, memberId?: string) => {
    await deps.throttle.recordFailure(em, keys.account, deps.throttle.limits.maxFailuresPerAccount);
    await deps.throttle.recordFailure(em, keys.ip, deps.throttle.limits.maxFailuresPerIp);
    deps.logger.info({ memberId, ip: origin.ip, why }, 'staff sign-in refused');
    return refusal;
  };

  const member = await em.findOne(StaffMember, { email });
  if (!(await verifyPassword(member?.passwordHash, input.password))) throw await fail(INVALID(), member ? 'wrong password' : 'unknown e-mail', member?.id);
  if (member!.status !== 'ACTIVE') throw new Refusal('ACCOUNT_DISABLED', 'this staff account is disabled; ask an owner');
  if (member!.totpEnabledAt) {
    if (!input.totpCode && !input.recoveryCode) throw new Refusal('TWO_FACTOR_REQUIRED', 'send totp_code (from your authenticator app) or a recovery_code');
    const factor = await verifySecondFactor(em, deps.secret, member!, input);
    if (!factor) throw await fail(new Refusal('INVALID_TWO_FACTOR_CODE', 'the two-factor code is wrong, expired or already used'), 'wrong second factor', member!.id);
  }
  await deps.throttle.clear(em, keys.account);
  const started = await startStaffSession({ em: deps.em, sessions: deps.sessions }, member!, 'password', origin, input.replacing ?? null);
  return { ...started, member: member! };
}
