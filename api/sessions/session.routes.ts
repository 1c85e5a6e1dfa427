import Router from '@koa/router';
import { endStaffSession } from '../../domain/staff/end-staff-session.ts';
import { signInWithPassword } from '../../domain/staff/sign-in-with-password.ts';
import { findLiveStaffLink } from '../../domain/staff/find-staff-link.ts';
import { redeemStaffLink } from '../../domain/staff/redeem-staff-link.ts';
import { requestPasswordReset } from '../../domain/staff/request-password-reset.ts';
import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import type { IdentityServices } from '../auth/identity-services.ts';
import { principalOf, requestOrigin } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { staffResource } from '../staff/identity-resources.ts';
import { endSessionQuery, inspectLinkRequest, passwordResetRequest, redeemLinkRequest, signInRequest } from '../staff/identity-requests.ts';
import { actingOf } from '../staff/acting.ts';
import { heldSessionId, signedInBody } from './signed-in.ts';

/** Signing in and out, the session's own view, forgotten passwords and one-time links. */
export function sessionRoutes(deps: ApiDependencies & { staffAuth: IdentityServices }): Router {
  const router = new Router({ prefix: '/v1' });
  const identity = deps.staffAuth;
  const sessions = identity.staffSessions;
  router.use(refusalsAsProblems);

  router.get('/sign-in-methods', async (ctx) => {
    const [staff] = await deps.em.fork().execute<{ n: string }[]>(`select count(*) as n from staff_member`);
    ctx.body = { password: true, oidc: identity.oidc ? { start_url: '/v1/sso/oidc/start' } : null, setup_required: Number(staff!.n) === 0 };
  });

  router.post('/sessions', async (ctx) => {
    const input = await parseBody(ctx, signInRequest);
    // Sign-in from a page of another site is refused (login CSRF); scripts send no Origin.
    if (ctx.get('origin')) sessions.assertSameOrigin(ctx);
    const started = await signInWithPassword(
      { em: deps.em, secret: deps.secret, sessions: sessions.store, throttle: identity.throttle, logger: deps.logger },
      { email: input.email, password: input.password, totpCode: input.totp_code, recoveryCode: input.recovery_code, replacing: await heldSessionId(identity, ctx) },
      requestOrigin(ctx),
    );
    sessions.issue(ctx, started.token, started.session);
    ctx.status = 201;
    ctx.body = await signedInBody(identity, started.member, started.session, started.token);
  });

  router.get('/sessions/current', async (ctx) => {
    const principal = principalOf(ctx);
    const member = await deps.em.fork().findOneOrFail(StaffMember, { id: principal.staff!.id });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await signedInBody(identity, member, principal.session!.record, principal.session!.token);
  });

  router.delete('/sessions/current', async (ctx) => {
    const principal = principalOf(ctx);
    await endStaffSession({ em: deps.em, sessions: sessions.store }, principal.session!.record.id, actingOf(principal), { ownerId: principal.staff!.id, reason: 'signed_out' });
    sessions.clear(ctx);
    ctx.status = 204;
  });

  router.delete('/sessions/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = parseWith(endSessionQuery, ctx.query);
    await endStaffSession({ em: deps.em, sessions: sessions.store }, id, actingOf(principalOf(ctx)), { reason: 'revoked', note: reason ?? null });
    ctx.status = 204;
  });

  router.post('/password-resets', async (ctx) => {
    const { email } = await parseBody(ctx, passwordResetRequest);
    await requestPasswordReset({ ...identity.staff, throttle: identity.throttle }, email, requestOrigin(ctx));
    // The same answer whether or not the e-mail belongs to anyone.
    ctx.status = 202;
    ctx.body = { detail: 'If this e-mail belongs to an active staff member, a reset link valid for one hour is on its way.' };
  });

  router.post('/staff-links/inspect', async (ctx) => {
    const { token } = await parseBody(ctx, inspectLinkRequest);
    const link = await findLiveStaffLink(deps.em.fork(), deps.secret, token);
    const member = link.staffMember ?? null;
    ctx.body = { purpose: link.purpose, expires_at: link.expiresAt.toISOString(), email: member?.email ?? null, name: member?.name ?? null };
  });

  router.post('/staff-links/redeem', async (ctx) => {
    const input = await parseBody(ctx, redeemLinkRequest);
    if (ctx.get('origin')) sessions.assertSameOrigin(ctx);
    const { member, purpose } = await redeemStaffLink(
      { em: deps.em, secret: deps.secret, sessions: sessions.store, passwordMinLength: identity.config.passwordMinLength },
      input,
      requestOrigin(ctx),
    );
    ctx.body = { purpose, staff: staffResource(member), detail: 'Your password is set: sign in with it (POST /v1/sessions).' };
  });

  return router;
}

