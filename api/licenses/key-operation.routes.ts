import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { grants } from '../../lib/roles.ts';
import { DomainError } from '../../domain/domain-error.ts';
import { idParam } from '../../domain/ids.ts';
import { resendLicenseKey, resendLicenseKeySchema } from '../../domain/licenses/resend-license-key.ts';
import { rotateLicenseKey, rotateLicenseKeySchema, type KeyOperationActor } from '../../domain/licenses/rotate-license-key.ts';
import type { KeyEmailOutcome } from '../../domain/licenses/queue-key-email.ts';
import { resetLicenseSeats, resetLicenseSeatsSchema } from '../../domain/seats/reset-license-seats.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { licenseView } from './get-license.ts';

/** At most this many licenses per bulk rotation: one request, each license its own transaction. */
export const MAX_BULK_ROTATIONS = 100;

export const rotateKeysSchema = rotateLicenseKeySchema.extend({
  license_ids: z
    .array(idParam)
    .min(1)
    .max(MAX_BULK_ROTATIONS)
    .refine((ids) => new Set(ids).size === ids.length, 'license_ids: each license at most once'),
});

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
    const { license_ids: ids, ...input } = await parseBody(ctx, rotateKeysSchema);
    const who = acting(ctx);
    const results = [];
    // One after another: each rotation locks its license row briefly; a bounded list keeps the request short.
    for (const id of ids) {
      try {
        const rotated = await rotateLicenseKey(operationDeps, id, input, who);
        results.push({ license_id: id, status: 'rotated', key_hint: rotated.keyHint, previous_key_hint: rotated.previousKeyHint, previous_key_works_until: rotated.previousKeyWorksUntil.toISOString(), email: emailView(rotated.email), code: null, detail: null });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ license_id: id, status: 'refused', key_hint: null, previous_key_hint: null, previous_key_works_until: null, email: null, code: error.code, detail: error.message });
      }
    }
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
