import type { Context, Next } from 'koa';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { ApiTokenScope } from '../../schema/auth/api-token.entity.ts';
import { Problem } from '../http/problem.ts';
import { findActiveToken } from './api-token.service.ts';

export interface AdminPrincipal {
  tokenId: string;
  tokenName: string;
  /** How the audit trail names this caller. */
  actor: string;
}

/** Bearer-token guard for admin routes; `admin` implies every scope. */
export function requireScope(em: EntityManager, secret: ServerSecret, scope: ApiTokenScope) {
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new Problem('UNAUTHORIZED', 'send an admin API token as "Authorization: Bearer <token>"', {
        headers: { 'WWW-Authenticate': 'Bearer realm="keywarden-admin"' },
      });
    }
    const token = await findActiveToken(em, secret, match[1]!);
    if (!token) {
      throw new Problem('UNAUTHORIZED', 'the API token is unknown or revoked', {
        headers: { 'WWW-Authenticate': 'Bearer realm="keywarden-admin", error="invalid_token"' },
      });
    }
    if (!token.scopes.includes('admin') && !token.scopes.includes(scope)) {
      throw new Problem('FORBIDDEN', `this token lacks the "${scope}" scope`);
    }
    ctx.state.principal = { tokenId: token.id, tokenName: token.name, actor: `admin:${token.name}` } satisfies AdminPrincipal;
    await next();
  };
}
