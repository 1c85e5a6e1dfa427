import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { normalizeLicenseKey } from '../../lib/license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { License } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { evaluateLicense } from './evaluate-license.ts';

export const validateRequestSchema = z.object({
  key: z.string().trim().min(1).max(200),
});

export type ValidateRequest = z.infer<typeof validateRequestSchema>;

const DAY_SECONDS = 24 * 60 * 60;
const TRIAL_CACHE_SECONDS = 60 * 60;

function clientView(license: LicenseEntity) {
  return {
    id: license.id,
    status: license.status,
    plan: license.plan,
    features: license.features,
    seat_limit: license.seatLimit,
    expires_at: license.expiresAt?.toISOString() ?? null,
    trial_ends_at: license.trialEndsAt?.toISOString() ?? null,
  };
}

/** Validates a key straight from Postgres: never waits on Temporal. */
export async function validateLicense(em: EntityManager, secret: ServerSecret, request: ValidateRequest, now = new Date()) {
  const keyHash = secret.lookupHash(normalizeLicenseKey(request.key));
  const license = await em.fork().findOne(License, { keyHash });
  const verdict = evaluateLicense(license, now);
  return {
    ...verdict,
    license: license ? clientView(license) : null,
    cache_ttl: license?.status === 'TRIALING' ? TRIAL_CACHE_SECONDS : DAY_SECONDS,
  };
}
