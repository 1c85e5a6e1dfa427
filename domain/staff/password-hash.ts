import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): about 50 ms on
 * these machines. The numbers are the PHC string's, so a later change of parameters still
 * verifies hashes made before it.
 */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id (a const enum, not importable with type stripping) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without one (an unknown e-mail, an account with no
 * password) it verifies against a dummy hash anyway and answers false, so the answer takes as
 * long as a wrong password's and timing tells nothing about which accounts exist.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('keywarden-dummy-password-for-timing');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
