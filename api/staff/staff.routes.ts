import Router from '@koa/router';
import { endAllStaffSessions } from '../../domain/staff/end-all-staff-sessions.ts';
import { readIdentitySettings } from '../../domain/staff/identity-settings.ts';
import { inviteStaffMember } from '../../domain/staff/invite-staff-member.ts';
import { sendNewStaffLink } from '../../domain/staff/send-new-link.ts';
import { removeTwoFactor } from '../../domain/staff/remove-two-factor.ts';
import { updateIdentitySettings } from '../../domain/staff/update-identity-settings.ts';
import { updateStaffMember } from '../../domain/staff/update-staff-member.ts';
import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import type { IdentityServices } from '../auth/identity-services.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { actingOf } from './acting.ts';
import { linkResource, sessionResource, staffResource } from './identity-resources.ts';
import { inviteStaffRequest, resetTwoFactorRequest, signOutEverywhereRequest, staffListQuery, updateSettingsRequest, updateStaffRequest } from './identity-requests.ts';

/** Staff management (owners) and the directory (everyone), and the identity settings. */
export function staffRoutes(deps: ApiDependencies & { staffAuth: IdentityServices }): Router {
  const router = new Router({ prefix: '/v1' });
  const identity = deps.staffAuth;
  const sessionDeps = { em: deps.em, sessions: identity.staffSessions.store };
  router.use(refusalsAsProblems);
  const findMember = async (id: string) => {
    const member = await deps.em.fork().findOne(StaffMember, { id });
    if (!member) throw new Problem('STAFF_NOT_FOUND', `no staff member with id ${id}`);
    return member;
  };

  router.get('/staff', async (ctx) => {
    const query = parseWith(staffListQuery, ctx.query);
    const where = { ...(query.role ? { role: query.role } : {}), ...(query.status ? { status: query.status } : {}) };
    ctx.body = await paginate(deps.em, StaffMember, where, query, staffResource);
  });

  router.post('/staff', async (ctx) => {
    const input = await parseBody(ctx, inviteStaffRequest);
    const { member, invitation } = await inviteStaffMember(identity.staff, input, actingOf(principalOf(ctx)));
    ctx.status = 201;
    ctx.set('Location', `/v1/staff/${member.id}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...staffResource(member), invitation: linkResource(invitation) };
  });

  router.get('/staff/:id', async (ctx) => {
    ctx.body = staffResource(await findMember(parseWith(idParam, ctx.params.id)));
  });

  router.patch('/staff/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, updateStaffRequest);
    ctx.body = staffResource(await updateStaffMember(sessionDeps, id, input, actingOf(principalOf(ctx))));
  });

  for (const [path, kind] of [['invitation', 'INVITATION'], ['password-reset', 'PASSWORD_RESET']] as const) {
    router.post(`/staff/:id/${path}`, async (ctx) => {
      const link = await sendNewStaffLink(identity.staff, parseWith(idParam, ctx.params.id), kind, actingOf(principalOf(ctx)));
      ctx.status = 201;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = linkResource(link);
    });
  }

  router.post('/staff/:id/two-factor/reset', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, resetTwoFactorRequest);
    await removeTwoFactor(deps, id, actingOf(principalOf(ctx)), reason);
    ctx.body = staffResource(await findMember(id));
  });

  router.get('/staff/:id/sessions', async (ctx) => {
    const member = await findMember(parseWith(idParam, ctx.params.id));
    const current = principalOf(ctx).session?.record.id;
    ctx.body = { data: (await identity.staffSessions.store.listActive(member.id)).map((session) => sessionResource(session, current)) };
  });

  router.post('/staff/:id/sign-out-everywhere', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    // The body is optional: an empty request ends them all without a reason.
    const { reason } = await parseBody(ctx, signOutEverywhereRequest);
    const ended = await endAllStaffSessions(sessionDeps, id, actingOf(principalOf(ctx)), reason ?? null);
    ctx.body = { sessions_ended: ended };
  });

  router.get('/settings', async (ctx) => {
    const settings = await readIdentitySettings(deps.em.fork());
    ctx.body = { require_two_factor: settings.requireTwoFactor };
  });

  router.patch('/settings', async (ctx) => {
    const input = await parseBody(ctx, updateSettingsRequest);
    const settings = await updateIdentitySettings(deps.em, input.require_two_factor === undefined ? {} : { requireTwoFactor: input.require_two_factor }, actingOf(principalOf(ctx)));
    ctx.body = { require_two_factor: settings.requireTwoFactor };
  });

  return router;
}
