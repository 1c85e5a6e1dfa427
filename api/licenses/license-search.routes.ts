import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { searchLicenses, type LicenseSearchHit } from '../../domain/licenses/search-licenses.ts';
import { LICENSE_STATUSES } from '../../schema/license/license-status.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';

export const licenseSearchQuery = pageQuerySchema
  .extend({
    q: text()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe(
        'What to find: a customer e-mail (whole: exact; part: contains) or name (contains), a whole license key (matched by its keyed hash), a key hint or its last group (`KW-…-ZMC1`, `ZMC1`), a license or customer id, or a Stripe customer, subscription, Checkout Session or payment intent id (`cus_…`, `sub_…`, `cs_…`, `pi_…`).',
      ),
    status: z.enum(LICENSE_STATUSES).optional(),
    product: text().trim().min(1).max(100).optional().describe('A product code.'),
    plan: text().trim().min(1).max(100).optional().describe('A plan code.'),
    tier: text().trim().min(1).max(100).optional().describe('A plan tier.'),
    expiring_within_days: z.coerce.number().int().min(0).max(3650).optional().describe('Only licenses whose term ends between now and this many days from now.'),
    customer_id: idParam.optional().describe('Only this customer\'s licenses.'),
  })
  .strict();

export function licenseSearchHitResource(hit: LicenseSearchHit) {
  return {
    id: hit.id,
    key_hint: hit.keyHint,
    status: hit.status,
    status_reason: hit.statusReason,
    product: hit.product,
    plan: hit.plan,
    customer: hit.customer,
    expires_at: iso(hit.expiresAt),
    trial_ends_at: iso(hit.trialEndsAt),
    created_at: iso(hit.createdAt)!,
    matched: hit.matched,
  };
}

/**
 * The console's one search box, with filters, a page at a time: GET with the query in the URL,
 * or POST with the same fields in a JSON body, for a query that holds a whole license key (a
 * key has no place in a URL, where proxies and browser histories keep it).
 */
export function licenseSearchRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/licenses' });
  const search = async (ctx: Context, query: z.infer<typeof licenseSearchQuery>) => {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after && !idParam.safeParse(after.id).success) throw new Problem('INVALID_REQUEST', 'cursor: not a cursor this API returned', { extra: { errors: [{ field: 'cursor', message: 'invalid cursor' }] } });
    const { hits, hasMore } = await searchLicenses(deps.em, (key) => deps.secret.lookupHash(key), {
      q: query.q,
      status: query.status,
      product: query.product,
      plan: query.plan,
      tier: query.tier,
      expiringWithinDays: query.expiring_within_days,
      customerId: query.customer_id,
      limit: query.limit,
      after: after && { createdAt: new Date(after.createdAt), id: after.id },
    });
    const last = hits[hits.length - 1];
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: hits.map(licenseSearchHitResource), has_more: hasMore, next_cursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null };
  };
  router.get('/search', (ctx) => search(ctx, parseWith(licenseSearchQuery, ctx.query)));
  router.post('/search', async (ctx) => search(ctx, await parseBody(ctx, licenseSearchQuery)));
  return router;
}
