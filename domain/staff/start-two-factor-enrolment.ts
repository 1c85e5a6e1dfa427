import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { Refusal } from '../refusal.ts';
import type { SecretDeps } from './staff-deps.ts';
import { newTotpSecret, sealTotpSecret, totpUri } from './two-factor-secret.ts';

/**
 * Step one of enrolment: a new TOTP secret (stored sealed, not yet in force), answered once as
 * the secret and the `otpauth://` URI an authenticator app scans. Starting again replaces it.
 */
export async function startTwoFactorEnrolment(deps: SecretDeps, memberId: string): Promise<{ secret: string; otpauthUri: string }> {
  const em = deps.em.fork();
  const member = await em.findOneOrFail(StaffMember, { id: memberId });
  if (member.totpEnabledAt) throw new Refusal('TWO_FACTOR_ALREADY_ENABLED', 'two-factor is already on; disable it first to enrol another authenticator');
  const totp = newTotpSecret();
  member.totpSecretCiphertext = sealTotpSecret(deps.secret, member.id, totp);
  member.totpLastStep = null;
  await em.flush();
  return { secret: totp, otpauthUri: totpUri(totp, member.email) };
}
