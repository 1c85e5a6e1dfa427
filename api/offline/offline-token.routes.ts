import Router from '@koa/router';
import { z } from 'zod';
import type { AdminPrincipal } from '../auth/require-scope.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { idParam, iso } from '../http/resources.ts';
import type { SigningKeyring } from '../../domain/signing/signing-keyring.ts';
import { issueOfflineToken, issueOfflineTokenSchema } from '../../domain/licenses/issue-offline-token.ts';
import { LICENSE_FILE_MEDIA_TYPE, licenseFileName, renderLicenseFile } from './license-file.ts';
import { listOfflineTokens } from './list-offline-tokens.ts';
import { actingOf } from '../staff/acting.ts';

export const issueOfflineTokenQuery = z
  .object({ format: z.enum(['json', 'file']).optional().describe(`\`file\`: answer with a license file (${LICENSE_FILE_MEDIA_TYPE}), as \`Accept: ${LICENSE_FILE_MEDIA_TYPE}\` does.`) })
  .strict();

/** Admin: issue offline license tokens (as JSON or as a license file) and list the log. */
export function offlineTokenRoutes(deps: ApiDependencies & { signingKeys: SigningKeyring }): Router {
  const router = new Router({ prefix: '/v1/licenses' });

  router.post('/:id/offline-tokens', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { format } = parseWith(issueOfflineTokenQuery, ctx.query);
    const input = await parseBody(ctx, issueOfflineTokenSchema);
    const issued = await issueOfflineToken(deps, id, input, actingOf(ctx.state.principal as AdminPrincipal));
    ctx.status = 201;
    ctx.set('Location', `/v1/licenses/${id}/offline-tokens`);
    if (format === 'file' || (format === undefined && ctx.accepts('application/json', LICENSE_FILE_MEDIA_TYPE) === LICENSE_FILE_MEDIA_TYPE)) {
      ctx.set('Content-Disposition', `attachment; filename="${licenseFileName(issued)}"`);
      ctx.type = LICENSE_FILE_MEDIA_TYPE;
      ctx.body = renderLicenseFile(issued);
      return;
    }
    ctx.body = {
      id: issued.id,
      license_id: issued.licenseId,
      key_id: issued.keyId,
      token: issued.token,
      issued_by: issued.issuedBy,
      issued_at: iso(issued.issuedAt),
      expires_at: iso(issued.expiresAt),
      fingerprint: issued.fingerprint,
      domain: issued.domain,
    };
  });

  router.get('/:id/offline-tokens', async (ctx) => {
    ctx.body = await listOfflineTokens(deps.em, parseWith(idParam, ctx.params.id));
  });

  return router;
}
