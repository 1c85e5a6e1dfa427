import Router from '@koa/router';
import { endAllStaffSessions } from '../../domain/staff/end-all-staff-sessions.ts';
import { endStaffSession } from '../../domain/staff/end-staff-session.ts';
import { changeOwnPassword } from '../../domain/staff/change-own-password.ts';
import { readIdentitySettings } from '../../domain/staff/identity-settings.ts';
import { verifyPassword } from '../../domain/staff/password-hash.ts';
import { Refusal } from '../../domain/refusal.ts';
import { confirmTwoFactorEnrolment } from '../../domain/staff/confirm-two-factor-enrolment.ts';
import { regenerateRecoveryCodes } from '../../domain/staff/regenerate-recovery-codes.ts';
import { removeTwoFactor } from '../../domain/staff/remove-two-factor.ts';
import { startTwoFactorEnrolment } from '../../domain/staff/start-two-factor-enrolment.ts';
import { updateStaffMember } from '../../domain/staff/update-staff-member.ts';
import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import type { IdentityServices } from '../auth/identity-services.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { actingOf } from './acting.ts';
import { sessionResource, staffResource } from './identity-resources.ts';
import { changePasswordRequest, confirmTwoFactorRequest, passwordConfirmationRequest, updateMeRequest } from './identity-requests.ts';

/** The signed-in member's own account: profile, password, sessions, two-factor. Browser sessions only. */
export function meRoutes(deps: ApiDependencies & { staffAuth: IdentityServices }): Router {
  const router = new Router({ prefix: '/v1/me' });
  const identity = deps.staffAuth;
  const store = identity.staffSessions.store;
  const sessionDeps = { em: deps.em, sessions: store };
  router.use(refusalsAsProblems);
  const me = (ctx: Parameters<typeof principalOf>[0]) => principalOf(ctx).staff!.id;
  const member = async (id: string) => deps.em.fork().findOneOrFail(StaffMember, { id });

  /** Actions that could lock the member out need the password again (not just the cookie). */
  async function confirmPassword(id: string, password: string) {
    const found = await member(id);
    if (!found.passwordHash || !(await verifyPassword(found.passwordHash, password))) throw new Refusal('INVALID_CREDENTIALS', 'the password is wrong');
  }

  router.get('/', async (ctx) => {
    ctx.body = staffResource(await member(me(ctx)));
  });

  router.patch('/', async (ctx) => {
    const { name } = await parseBody(ctx, updateMeRequest);
    ctx.body = staffResource(await updateStaffMember(sessionDeps, me(ctx), { name }, actingOf(principalOf(ctx))));
  });

  router.post('/password', async (ctx) => {
    const input = await parseBody(ctx, changePasswordRequest);
    const principal = principalOf(ctx);
    await changeOwnPassword(identity.staff, principal.staff!.id, { currentPassword: input.current_password, newPassword: input.new_password, keepSessionId: principal.session!.record.id }, actingOf(principal));
    ctx.status = 204;
  });

  router.get('/sessions', async (ctx) => {
    const principal = principalOf(ctx);
    ctx.body = { data: (await store.listActive(principal.staff!.id)).map((session) => sessionResource(session, principal.session!.record.id)) };
  });

  router.delete('/sessions/:id', async (ctx) => {
    const principal = principalOf(ctx);
    await endStaffSession(sessionDeps, parseWith(idParam, ctx.params.id), actingOf(principal), { ownerId: principal.staff!.id, reason: 'revoked' });
    ctx.status = 204;
  });

  router.post('/sign-out-everywhere', async (ctx) => {
    const principal = principalOf(ctx);
    const ended = await endAllStaffSessions(sessionDeps, principal.staff!.id, actingOf(principal));
    identity.staffSessions.clear(ctx);
    ctx.body = { sessions_ended: ended };
  });

  router.post('/two-factor', async (ctx) => {
    const started = await startTwoFactorEnrolment(deps, me(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = { secret: started.secret, otpauth_uri: started.otpauthUri };
  });

  router.post('/two-factor/confirm', async (ctx) => {
    const { code } = await parseBody(ctx, confirmTwoFactorRequest);
    const { recoveryCodes } = await confirmTwoFactorEnrolment(deps, me(ctx), code, actingOf(principalOf(ctx)));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { two_factor_enabled: true, recovery_codes: recoveryCodes };
  });

  router.post('/two-factor/disable', async (ctx) => {
    const { password } = await parseBody(ctx, passwordConfirmationRequest);
    await confirmPassword(me(ctx), password);
    if ((await readIdentitySettings(deps.em.fork())).requireTwoFactor) throw new Refusal('TWO_FACTOR_REQUIRED_BY_OWNER', 'owners require two-factor for everyone; it cannot be turned off');
    await removeTwoFactor(deps, me(ctx), actingOf(principalOf(ctx)), 'turned off by the member');
    ctx.body = staffResource(await member(me(ctx)));
  });

  router.post('/recovery-codes', async (ctx) => {
    const { password } = await parseBody(ctx, passwordConfirmationRequest);
    await confirmPassword(me(ctx), password);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { recovery_codes: await regenerateRecoveryCodes(deps, me(ctx), actingOf(principalOf(ctx))) };
  });

  return router;
}
