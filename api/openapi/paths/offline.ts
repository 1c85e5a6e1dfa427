import { LICENSE_FILE_MEDIA_TYPE } from '../../offline/license-file.ts';
import { issueOfflineTokenQuery } from '../../offline/offline-token.routes.ts';
import { header, locationHeader, operation } from '../operation.ts';
import { ReasonRequest } from '../schemas/common.ts';
import { IssuedOfflineToken, IssueOfflineTokenRequest, JsonWebKeySet, OfflineTokenList, SigningKeyList, SigningKeyResource } from '../schemas/offline.ts';

/** Offline license tokens, the signing keys and their JWKS (api/offline/, api/signing/). */
export const offlinePaths = {
  '/v1/licenses/{id}/offline-tokens': {
    post: operation({
      tag: 'licenses',
      operationId: 'issueOfflineToken',
      summary: 'Issue an offline license token',
      description: `A signed token (JWT, EdDSA, \`kid\`) the SDK verifies without the network: license id, plan, features, seat limit, expiry (capped at the license's), optionally bound to a machine fingerprint and a domain. Logged (id and hash, never the token). With \`?format=file\` or \`Accept: ${LICENSE_FILE_MEDIA_TYPE}\` it comes as a license file to download (an attachment: a readable header block, then the token).`,
      scope: 'licenses:write',
      pathParams: { id: 'The license id.' },
      query: issueOfflineTokenQuery,
      body: { schema: IssueOfflineTokenRequest, required: false },
      responses: {
        201: {
          description: 'Issued.',
          schema: IssuedOfflineToken,
          headers: locationHeader,
          alternatives: { [LICENSE_FILE_MEDIA_TYPE]: { schema: { type: 'string', pattern: '^-----BEGIN KEYWARDEN LICENSE-----' } } },
        },
      },
      problems: ['LICENSE_NOT_FOUND', 'LICENSE_NOT_ISSUABLE', 'INVALID_DATE'],
    }),
    get: operation({
      tag: 'licenses',
      operationId: 'listOfflineTokens',
      summary: 'List the offline tokens issued for a license',
      scope: 'licenses:read',
      pathParams: { id: 'The license id.' },
      responses: { 200: { description: 'The log, newest first.', schema: OfflineTokenList } },
      problems: ['LICENSE_NOT_FOUND'],
    }),
  },
  '/.well-known/jwks.json': {
    get: operation({
      tag: 'signing',
      operationId: 'jwks',
      summary: 'The public signing keys (JWKS)',
      description: 'Bundle these with the client software: they verify the `Keywarden-Signature` of the answers of the client endpoints (validate, activate, deactivate, heartbeat) and offline tokens. Retired keys are left out.',
      scope: null,
      responses: { 200: { description: 'The key set.', schema: JsonWebKeySet, headers: { 'Cache-Control': header('How long the set may be cached.') } } },
    }),
  },
  '/v1/signing-keys': {
    get: operation({
      tag: 'signing',
      operationId: 'listSigningKeys',
      summary: 'List signing keys',
      scope: 'admin',
      responses: { 200: { description: 'Every key, newest first.', schema: SigningKeyList } },
    }),
  },
  '/v1/signing-keys/rotate': {
    post: operation({
      tag: 'signing',
      operationId: 'rotateSigningKey',
      summary: 'Rotate: a new key signs from now on',
      description: 'The key it replaces becomes VERIFYING: what it signed keeps verifying until it is retired. Other API replicas pick the new key up within a minute. Audited (`signing_key.rotated`, with the reason).',
      scope: 'admin',
      body: { schema: ReasonRequest, required: false },
      responses: { 201: { description: 'The new ACTIVE key.', schema: SigningKeyResource } },
    }),
  },
  '/v1/signing-keys/{id}/retire': {
    post: operation({
      tag: 'signing',
      operationId: 'retireSigningKey',
      summary: 'Retire a rotated-out key',
      description: 'Leaves it out of the JWKS: clients that refresh their keys stop trusting what it signed. The ACTIVE key cannot be retired (rotate first); retiring a retired key changes nothing. Audited (`signing_key.retired`, with the reason).',
      scope: 'admin',
      pathParams: { id: 'The key id (`kid`).' },
      body: { schema: ReasonRequest, required: false },
      responses: { 200: { description: 'Retired.', schema: SigningKeyResource } },
      problems: ['SIGNING_KEY_NOT_FOUND', 'SIGNING_KEY_ACTIVE'],
    }),
  },
};
