import Router from '@koa/router';
import type { Context } from 'koa';
import { grants } from '../../lib/roles.ts';
import { idParam } from '../../domain/ids.ts';
import { resendLicenseKey, resendLicenseKeySchema } from '../../domain/licenses/resend-license-key.ts';
import { rotateLicenseKey, rotateLicenseKeySchema, type KeyOperationActor } from '../../domain/licenses/rotate-license-key.ts';
import { rotateLicenseKeys, rotateLicenseKeysSchema } from '../../domain/licenses/rotate-license-keys.ts';
import type { KeyEmailOutcome } from '../../domain/licenses/queue-key-email.ts';
import { resetLicenseSeats, resetLicenseSeatsSchema } from '../../domain/seats/reset-license-seats.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { licenseView } from './get-license.ts';

const acting = (ctx: Context): KeyOperationActor => {
  const principal = principalOf(ctx);
  return { actor: principal.auditActor, label: principal.actor, origin: principal.origin };
};

/** What the answer says of the key e-mail. */
export const emailView = (email: KeyEmailOutcome | { queued: false; reason: string }) =>
  email.queued ? { status: 'queued' as const, outbox_id: email.outboxId, reason: null } : { status: 'not_queued' as const, outbox_id: null, reason: email.reason };

/**
 * Admin key operations: rotate a leaked key (one license, or many for owners), e-mail the key
 * again, reset every seat. Each parses, calls its domain operation, and shapes the answer.
 */
export function keyOperationRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/licenses' });
  const operationDeps = { em: deps.em, secret: deps.secret, deliveries: deps.lifecycle, cache: deps.cache };

  router.post('/rotate-keys', async (ctx) => {
    const outcomes = await rotateLicenseKeys(operationDeps, await parseBody(ctx, rotateLicenseKeysSchema), acting(ctx));
    const results = outcomes.map((outcome) =>
      'rotated' in outcome
        ? { license_id: outcome.licenseId, status: 'rotated', key_hint: outcome.rotated.keyHint, previous_key_hint: outcome.rotated.previousKeyHint, previous_key_works_until: outcome.rotated.previousKeyWorksUntil.toISOString(), email: emailView(outcome.rotated.email), code: null, detail: null }
        : { license_id: outcome.licenseId, status: 'refused', key_hint: null, previous_key_hint: null, previous_key_works_until: null, email: null, code: outcome.refused.code, detail: outcome.refused.message },
    );
    ctx.body = { rotated: results.filter((r) => r.status === 'rotated').length, refused: results.filter((r) => r.status === 'refused').length, results };
  });

  router.post('/:id/rotate-key', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, rotateLicenseKeySchema);
    const rotated = await rotateLicenseKey(operationDeps, id, input, acting(ctx));
    ctx.body = {
      ...(await licenseView(deps.em, id)),
      // The only time the new key is shown: it is e-mailed from its encrypted copy, never logged.
      key: rotated.key,
      rotation: { previous_key_hint: rotated.previousKeyHint, previous_key_works_until: rotated.previousKeyWorksUntil.toISOString(), overlap_seconds: input.overlap_seconds, email: emailView(rotated.email) },
    };
  });

  router.post('/:id/resend-key', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, resendLicenseKeySchema);
    const sent = await resendLicenseKey(operationDeps, id, input, acting(ctx));
    ctx.status = 202;
    ctx.body = { license_id: sent.licenseId, key_hint: sent.keyHint, recipient: sent.recipient, email: emailView(sent.email) };
  });

  router.post('/:id/reset-seats', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, resetLicenseSeatsSchema);
    if (input.override_cap && !grants(principalOf(ctx).scopes, 'seats:override-cap')) {
      throw new Problem('FORBIDDEN', 'resetting seats beyond the plan\'s deactivation cap needs the "seats:override-cap" scope (admins and owners)');
    }
    const reset = await resetLicenseSeats(operationDeps, id, input, acting(ctx));
    ctx.body = {
      ...(await licenseView(deps.em, id)),
      reset: { freed: reset.freed, cap_overridden: reset.overridden, cap: reset.cap && { limit: reset.cap.limit, period_days: reset.cap.periodDays, used: reset.cap.used, remaining: reset.cap.remaining } },
    };
  });

  return router;
}
