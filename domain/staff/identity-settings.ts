import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';

/** Settings owners change at run time. */
export interface IdentitySettings {
  /** Every staff member signing in with a password must have two-factor enrolled. */
  requireTwoFactor: boolean;
}

export const IDENTITY_SETTINGS_KEY = 'identity';
const stored = z.object({ requireTwoFactor: z.boolean().default(false) });

export async function readIdentitySettings(em: EntityManager): Promise<IdentitySettings> {
  const [row] = await em.execute<{ value: unknown }[]>(`select value from setting where key = ?`, [IDENTITY_SETTINGS_KEY]);
  return stored.parse(row?.value ?? {});
}
