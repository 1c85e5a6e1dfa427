import { z } from 'zod';
import { issueOfflineTokenSchema } from '../../../domain/licenses/issue-offline-token.ts';
import { SIGNING_KEY_STATUSES } from '../../../schema/signing/signing-key.entity.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { timestamp, uuid } from './common.ts';

export const IssueOfflineTokenRequest = requestSchema(
  'IssueOfflineTokenRequest',
  issueOfflineTokenSchema,
  'What to bind the token to, and when it ends (default: 30 days, never later than the license).',
);

const logged = {
  id: uuid.describe('The token id (its `jti`).'),
  license_id: uuid,
  key_id: uuid.describe('The signing key (`kid`).'),
  issued_by: z.string().describe('`admin:<token name>`.'),
  issued_at: timestamp,
  expires_at: timestamp,
  fingerprint: z.string().nullable().describe('The machine it is bound to; null: any machine.'),
  domain: z.string().nullable().describe('The domain it is bound to; null: any domain.'),
};

export const IssuedOfflineToken = responseSchema(
  'IssuedOfflineToken',
  z.object({ ...logged, token: z.string().describe('The token (a JWT, EdDSA): shown once, never stored.') }),
  'An offline license token. Its claims: `sub` and `license` (id, status, product, plan, tier, features, seat_model, seat_limit, expires_at), `jti`, `iat`, `nbf`, `exp`, and `fingerprint` / `domain` when bound.',
);

export const OfflineTokenLogEntry = responseSchema(
  'OfflineTokenLogEntry',
  z.object({ ...logged, token_sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the token, to recognise one presented later.') }),
  'One issued offline token, as logged: never the token itself.',
);

export const OfflineTokenList = responseSchema('OfflineTokenList', z.object({ data: z.array(OfflineTokenLogEntry) }), 'Every offline token issued for the license, newest first.');

export const PublicJwk = responseSchema(
  'PublicJwk',
  z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: uuid, alg: z.literal('EdDSA'), use: z.literal('sig') }),
  'An Ed25519 public key.',
);

export const JsonWebKeySet = responseSchema(
  'JsonWebKeySet',
  z.object({ keys: z.array(PublicJwk) }),
  'The keys that verify signed answers and offline tokens: the active one and those rotated out but not retired.',
);

export const SigningKeyResource = responseSchema(
  'SigningKey',
  z.object({
    id: uuid.describe('The key id (`kid`).'),
    algorithm: z.literal('EdDSA'),
    status: z.enum(SIGNING_KEY_STATUSES).describe('ACTIVE signs; VERIFYING still verifies (in the JWKS); RETIRED verifies nothing.'),
    public_jwk: PublicJwk,
    created_at: timestamp,
    rotated_at: timestamp.nullable(),
    retired_at: timestamp.nullable(),
  }),
  'A signing key (never its private half).',
);

export const SigningKeyList = responseSchema('SigningKeyList', z.object({ data: z.array(SigningKeyResource) }), 'Every signing key, newest first.');
