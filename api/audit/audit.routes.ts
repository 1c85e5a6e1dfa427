import Router from '@koa/router';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { paginate } from '../http/pagination.ts';
import { AuditEvent } from '../../schema/audit/audit-event.entity.ts';
import { auditEventResource } from '../staff/identity-resources.ts';
import { auditEventQuery } from '../staff/identity-requests.ts';

/**
 * The audit trail, newest first, filtered by actor, target, action (or an action prefix such
 * as `staff.`) and time, with cursor paging. Read-only: there is no route that changes it,
 * and the database refuses UPDATE and DELETE on it.
 */
export function auditRoutes(deps: ApiDependencies): Router {
  const router = new Router();
  router.get('/v1/audit-events', async (ctx) => {
    const query = parseWith(auditEventQuery, ctx.query);
    const createdAt = { ...(query.since ? { $gte: new Date(query.since) } : {}), ...(query.until ? { $lt: new Date(query.until) } : {}) };
    const where = {
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.target_type ? { targetType: query.target_type } : {}),
      ...(query.target_id ? { targetId: query.target_id } : {}),
      ...(query.action ? { action: query.action.endsWith('.') ? { $like: `${query.action.replace(/[\\%_]/g, '\\$&')}%` } : query.action } : {}),
      ...(Object.keys(createdAt).length ? { createdAt } : {}),
    };
    ctx.body = await paginate(deps.em, AuditEvent, where, query, auditEventResource);
  });
  return router;
}
