import { generateSecret, generateURI, verify } from 'otplib';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';

/** TOTP as authenticator apps expect it: SHA-1, 6 digits, 30 s steps, a 160-bit base32 secret. */
export const newTotpSecret = () => generateSecret({ length: 20 });

const context = (memberId: string) => `totp:${memberId}`;

export const sealTotpSecret = (secret: ServerSecret, memberId: string, totp: string) => secret.encrypt(totp, context(memberId));
export const openTotpSecret = (secret: ServerSecret, member: StaffMemberEntity) => secret.decrypt(member.totpSecretCiphertext!, context(member.id));

export const totpUri = (totp: string, email: string) => generateURI({ issuer: 'Keywarden', label: email, secret: totp });

/**
 * The time step a code is good for, or null. One step of clock drift either way is allowed,
 * and a step at or before the last one accepted is refused: a code works once.
 */
export async function acceptedTotpStep(totp: string, code: string, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({ secret: totp, token: code, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
