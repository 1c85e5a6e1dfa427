import Router from '@koa/router';
import type { Context } from 'koa';
import { Refusal } from '../../domain/refusal.ts';
import { OIDC_FLOW_LIFETIME_MS, type OidcFlow } from '../../domain/sso/oidc-client.ts';
import { signInWithOidc } from '../../domain/sso/sign-in-with-oidc.ts';
import type { IdentityServices } from '../auth/identity-services.ts';
import { requestOrigin } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { heldSessionId } from '../sessions/signed-in.ts';
import { returnToQuery } from '../staff/identity-requests.ts';

const FLOW_COOKIE = 'kw_oidc_flow';
const FLOW_PATH = '/v1/sso/oidc';
const DEFAULT_RETURN = '/admin/';

/**
 * Single sign-on: `start` sends the browser to the identity provider, `callback` brings it
 * back signed in (the staff session cookie set) to `return_to`, or to `return_to` with
 * `sso_error=<CODE>` when the sign-in was refused. The flow's state, nonce and PKCE verifier
 * ride in a sealed cookie (AES-GCM under the server secret) that only this browser holds;
 * it is SameSite=Lax because the provider's redirect back is a cross-site navigation.
 */
export function oidcRoutes(deps: ApiDependencies & { staffAuth: IdentityServices }): Router {
  const router = new Router({ prefix: FLOW_PATH });
  const identity = deps.staffAuth;
  const secure = new URL(identity.config.publicUrl).protocol === 'https:';
  const setFlowCookie = (ctx: Context, value: string, maxAgeSeconds: number) =>
    ctx.append('Set-Cookie', [`${FLOW_COOKIE}=${value}`, `Path=${FLOW_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; '));
  const oidc = () => {
    if (!identity.oidc) throw new Problem('SSO_NOT_CONFIGURED', 'single sign-on is not configured (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)');
    return identity.oidc;
  };

  router.get('/start', async (ctx) => {
    const client = oidc();
    const { return_to } = parseWith(returnToQuery, ctx.query);
    let begun: Awaited<ReturnType<typeof client.begin>>;
    try {
      begun = await client.begin(return_to ?? DEFAULT_RETURN);
    } catch (error) {
      if (error instanceof Refusal) throw new Problem('SSO_FAILED', error.message);
      throw error;
    }
    setFlowCookie(ctx, deps.secret.encrypt(JSON.stringify(begun.flow), 'oidc-flow'), OIDC_FLOW_LIFETIME_MS / 1000);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(begun.url);
    ctx.body = '';
  });

  router.get('/callback', async (ctx) => {
    const client = oidc();
    const sealed = /(?:^|;\s*)kw_oidc_flow=([^;]+)/.exec(ctx.get('cookie'))?.[1];
    setFlowCookie(ctx, '', 0);
    ctx.set('Cache-Control', 'no-store');
    let flow: OidcFlow;
    try {
      flow = JSON.parse(deps.secret.decrypt(sealed ?? '', 'oidc-flow')) as OidcFlow;
    } catch {
      throw new Problem('SSO_FAILED', 'this sign-in was not started from this browser (or took too long); start again');
    }
    const back = (code?: string) => {
      const url = new URL(flow.returnTo, identity.config.publicUrl);
      if (code) url.searchParams.set('sso_error', code);
      ctx.redirect(url.pathname + url.search);
      ctx.status = 303;
      ctx.body = '';
    };
    try {
      if (ctx.query.error) throw new Refusal('SSO_FAILED', `the identity provider answered ${String(ctx.query.error)}`);
      const callbackUrl = new URL(client.redirectUri);
      callbackUrl.search = ctx.querystring;
      const identityClaims = await client.finish(callbackUrl, flow);
      const started = await signInWithOidc(
        { em: deps.em, sessions: identity.staffSessions.store, rules: client.config.roleRules },
        identityClaims,
        requestOrigin(ctx),
        await heldSessionId(identity, ctx),
      );
      identity.staffSessions.issue(ctx, started.token, started.session);
      back();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      deps.logger.warn({ code: error.code, reason: error.message }, 'single sign-on refused');
      back(error.code);
    }
  });

  return router;
}
