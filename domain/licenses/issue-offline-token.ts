import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { OfflineToken } from '../../schema/entities.ts';
import { DomainError } from '../domain-error.ts';
import type { SigningKeyring } from '../signing/signing-keyring.ts';
import { evaluateStanding } from './evaluate-license.ts';
import { actorLabel, type LicenseActor } from './license-actor.ts';
import { loadSnapshotById } from './license-snapshot.ts';
import { OFFLINE_TOKEN_ISSUER, OFFLINE_TOKEN_TYPE, type OfflineTokenClaims } from './offline-token-claims.ts';
import { recordLicenseEvent } from './record-license-event.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_OFFLINE_TOKEN_DAYS = 30;
/** Tokens cannot be revoked: even a perpetual license's token ends within this many days. */
export const MAX_OFFLINE_TOKEN_DAYS = 3650;

export const issueOfflineTokenSchema = z
  .object({
    fingerprint: text().trim().min(1).max(255).optional().describe('Bind the token to this machine fingerprint.'),
    domain: text().trim().toLowerCase().min(1).max(255).optional().describe('Bind the token to a domain: `example.com` (only itself) or `*.example.com` (subdomains and the apex).'),
    expires_at: z.iso.datetime({ offset: true }).optional().describe('When the token ends; never later than the license (it is capped there).'),
    ttl_days: z.number().int().min(1).max(MAX_OFFLINE_TOKEN_DAYS).optional().describe(`Days from now, when no expires_at is given (default ${DEFAULT_OFFLINE_TOKEN_DAYS}).`),
    reason: text().trim().min(1).max(1000).optional().describe('Why it was issued (the air-gapped site, the ticket): goes to the audit trail.'),
  })
  .strict();
export type IssueOfflineTokenInput = z.infer<typeof issueOfflineTokenSchema>;

export interface IssuedOfflineToken {
  id: string;
  licenseId: string;
  token: string;
  keyId: string;
  issuedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  fingerprint: string | null;
  domain: string | null;
  product: string;
  plan: string;
}

/**
 * Signs an offline license token for a license in good standing and logs it (id and SHA-256,
 * never the token). It ends at the requested time, capped at the license's own end (the trial
 * end for a trial) and at MAX_OFFLINE_TOKEN_DAYS from now (a perpetual license's too).
 */
export async function issueOfflineToken(deps: { em: EntityManager; signingKeys: SigningKeyring }, licenseId: string, input: IssueOfflineTokenInput, actor: LicenseActor, now = new Date()): Promise<IssuedOfflineToken> {
  const license = await loadSnapshotById(deps.em.fork(), licenseId);
  if (!license) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
  const standing = evaluateStanding(license, now);
  if (standing && !standing.valid) throw new DomainError('LICENSE_NOT_ISSUABLE', `the license cannot be used (${standing.code}): ${standing.detail}`);

  const asked = input.expires_at ? new Date(input.expires_at) : new Date(now.getTime() + (input.ttl_days ?? DEFAULT_OFFLINE_TOKEN_DAYS) * DAY_MS);
  if (asked <= now) throw new DomainError('INVALID_DATE', 'expires_at must lie in the future');
  const longest = new Date(now.getTime() + MAX_OFFLINE_TOKEN_DAYS * DAY_MS);
  const requested = asked > longest ? longest : asked;
  const licenseEnd = license.status === 'TRIALING' && license.trialEndsAt ? license.trialEndsAt : license.expiresAt;
  const expiresAt = licenseEnd && licenseEnd < requested ? licenseEnd : requested;
  if (expiresAt <= now) throw new DomainError('LICENSE_NOT_ISSUABLE', `the license term ended on ${expiresAt.toISOString()}; renew it first`);

  if (!deps.signingKeys.ready) await deps.signingKeys.load();
  const { kid, key } = deps.signingKeys.privateKey();
  const id = randomUUID();
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  const claims: Omit<OfflineTokenClaims, 'iss' | 'sub' | 'jti' | 'iat' | 'nbf' | 'exp'> = {
    license: {
      id: license.id,
      status: license.status,
      product: license.productCode,
      plan: license.planCode,
      tier: license.tier,
      features: license.policy.features,
      seat_model: license.policy.seatModel,
      seat_limit: license.policy.seatLimit,
      expires_at: license.expiresAt?.toISOString() ?? null,
    },
    ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}),
    ...(input.domain ? { domain: input.domain } : {}),
  };
  const token = await new SignJWT(claims as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: OFFLINE_TOKEN_TYPE })
    .setIssuer(OFFLINE_TOKEN_ISSUER)
    .setSubject(license.id)
    .setJti(id)
    .setIssuedAt(seconds(now))
    .setNotBefore(seconds(now))
    .setExpirationTime(seconds(expiresAt))
    .sign(key);
  // The token's own second-precision end is what the log records.
  const loggedExpiry = new Date(seconds(expiresAt) * 1000);

  const issuedBy = actorLabel(actor);
  await deps.em.fork().transactional(async (em) => {
    em.create(OfflineToken, {
      id,
      license: license.id,
      signingKey: kid,
      tokenSha256: createHash('sha256').update(token).digest('hex'),
      issuedBy,
      issuedAt: now,
      expiresAt: loggedExpiry,
      fingerprint: input.fingerprint ?? null,
      domain: input.domain ?? null,
    });
    await em.flush();
    await recordLicenseEvent(em, actor, license.id, {
      action: 'license.offline_token_issued',
      reason: input.reason ?? null,
      before: null,
      after: { token_id: id, key_id: kid, expires_at: loggedExpiry.toISOString(), fingerprint: input.fingerprint ?? null, domain: input.domain ?? null },
    });
  });
  return { id, licenseId: license.id, token, keyId: kid, issuedBy, issuedAt: now, expiresAt: loggedExpiry, fingerprint: input.fingerprint ?? null, domain: input.domain ?? null, product: license.productCode, plan: license.planCode };
}
