import type { Context } from 'koa';
import type { UsageCall } from '../../domain/usage/usage-buffer.ts';
import type { UsageEventKind } from '../../schema/usage/usage-event.entity.ts';

/** The SDK's name and version (sdk/src/client-header.ts). */
export const CLIENT_HEADER = 'keywarden-client';

/**
 * A client call as usage capture records it: header values as sent (hosts and versions are
 * parsed at flush time), the address resolved through TRUST_PROXY (`ctx.ip`, api/http/client-ip.ts).
 */
export function clientCall(
  ctx: Context,
  kind: UsageEventKind,
  code: string,
  license: { licenseId?: string; keyHash?: string },
  body: { domain?: string; fingerprint?: string },
): UsageCall {
  const headers = ctx.req.headers;
  const origin = headers.origin;
  const client = headers[CLIENT_HEADER];
  return {
    kind,
    code,
    licenseId: license.licenseId,
    keyHash: license.licenseId ? undefined : license.keyHash,
    ip: ctx.ip || undefined,
    // `Origin: null` (a sandboxed frame, a file) names no host: fall back to the Referer then.
    origin: origin && origin !== 'null' ? origin : headers.referer,
    domain: body.domain,
    fingerprint: body.fingerprint,
    client: Array.isArray(client) ? client[0] : client,
  };
}
