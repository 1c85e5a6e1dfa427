import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseStatus } from '../../schema/license/license-status.ts';
import { searchTermOf, type SearchTerm, type StripeIdField } from './license-search-term.ts';

export interface LicenseSearch {
  /** Free text: an e-mail or name (or part of one), a whole key, a key hint, a license or customer id, a Stripe id. */
  q?: string;
  status?: LicenseStatus;
  /** Product code. */
  product?: string;
  /** Plan code. */
  plan?: string;
  tier?: string;
  /** Only licenses whose term ends between now and this many days from now. */
  expiringWithinDays?: number;
  customerId?: string;
  limit: number;
  /** The last hit of the previous page (newest first). */
  after?: { createdAt: Date; id: string };
}

/** What matched the query: the UI says "matched by key" rather than leaving staff to guess. */
export type SearchMatch = 'key' | 'license_id' | 'customer_id' | StripeIdField | 'key_hint' | 'email' | 'name';

export interface LicenseSearchHit {
  id: string;
  keyHint: string;
  status: LicenseStatus;
  statusReason: string | null;
  product: { code: string; name: string };
  plan: { id: string; code: string; name: string; tier: string };
  customer: { id: string; email: string; name: string | null } | null;
  expiresAt: Date | null;
  trialEndsAt: Date | null;
  createdAt: Date;
  matched: SearchMatch | null;
}

interface Row {
  id: string;
  key_hint: string;
  status: LicenseStatus;
  status_reason: string | null;
  expires_at: Date | null;
  trial_ends_at: Date | null;
  created_at: Date;
  product_code: string;
  product_name: string;
  plan_id: string;
  plan_code: string;
  plan_name: string;
  tier: string;
  customer_id: string | null;
  email: string | null;
  customer_name: string | null;
}

const STRIPE_COLUMNS: Record<StripeIdField, string> = {
  stripe_customer: 'l.customer_id in (select c2.id from customer c2 where c2.stripe_customer_id = ?)',
  stripe_subscription: 'l.stripe_subscription_id = ?',
  stripe_checkout_session: 'l.stripe_checkout_session_id = ?',
  stripe_payment_intent: 'l.stripe_payment_intent_id = ?',
};

type Condition = [sql: string, params: unknown[]];

/**
 * The SQL conditions of what the search box was given, one per alternative. Alternatives are
 * searched apart and merged (a UNION of pages), never joined by OR: the planner estimates each
 * alone well (a hint by its b-tree, people by their trigram indexes), but an OR of them made
 * it walk every license.
 */
function termConditions(term: SearchTerm): Condition[] {
  switch (term.kind) {
    case 'key':
      // A key rotated out still finds its license: the customer may read support the old one.
      return [['l.key_hash = ?', [term.keyHash]], ['l.id in (select r.license_id from retired_license_key r where r.key_hash = ?)', [term.keyHash]]];
    case 'id':
      return [['l.id = ?', [term.id]], ['l.customer_id = ?', [term.id]]];
    case 'stripe':
      return [[STRIPE_COLUMNS[term.field], [term.value]]];
    case 'email':
      return [['l.customer_id in (select c2.id from customer c2 where c2.email = ?)', [term.email]]];
    case 'text': {
      const people: Condition = ['l.customer_id in (select c2.id from customer c2 where c2.email ilike ? or c2.name ilike ?)', [term.pattern, term.pattern]];
      return term.hints.length ? [[`l.key_hint in (${term.hints.map(() => '?').join(', ')})`, term.hints], people] : [people];
    }
  }
}

function matchOf(term: SearchTerm | null, row: Row, query: string): SearchMatch | null {
  if (!term) return null;
  switch (term.kind) {
    case 'key':
      return 'key';
    case 'id':
      return row.id === term.id ? 'license_id' : 'customer_id';
    case 'stripe':
      return term.field;
    case 'email':
      return 'email';
    case 'text': {
      if (term.hints.includes(row.key_hint)) return 'key_hint';
      return row.email?.includes(query.trim().toLowerCase()) ? 'email' : 'name';
    }
  }
}

/**
 * The console's search: licenses matching one free-text query and the filters, newest first,
 * a page at a time (keyset paging on created_at and id, which an index keeps in order). With
 * 100,000 licenses a query answers in milliseconds: every condition is an index look-up
 * (`npm run bench` measures it, and EXPLAIN shows the plans).
 */
export async function searchLicenses(em: EntityManager, lookupHash: (normalizedKey: string) => string, search: LicenseSearch): Promise<{ hits: LicenseSearchHit[]; hasMore: boolean }> {
  const filters: Condition[] = [];
  if (search.status) filters.push(['l.status = ?', [search.status]]);
  if (search.product) filters.push(['pr.code = ?', [search.product]]);
  if (search.plan) filters.push(['p.code = ?', [search.plan]]);
  if (search.tier) filters.push(['p.tier = ?', [search.tier]]);
  if (search.customerId) filters.push(['l.customer_id = ?', [search.customerId]]);
  if (search.expiringWithinDays !== undefined) {
    filters.push(['l.expires_at >= now() and l.expires_at < now() + make_interval(days => ?::int)', [search.expiringWithinDays]]);
  }
  if (search.after) filters.push(['(l.created_at, l.id) < (?::timestamptz, ?::uuid)', [search.after.createdAt, search.after.id]]);

  const term = search.q?.trim() ? searchTermOf(search.q, lookupHash) : null;
  const alternatives: Condition[] = term ? termConditions(term) : [['true', []]];
  const limit = search.limit + 1;
  const params: unknown[] = [];
  // Each alternative's own first page (ids only), then the merged page with what staff see.
  const branches = alternatives.map(([sql, values]) => {
    const conditions = [sql, ...filters.map(([filter]) => filter)];
    params.push(...values, ...filters.flatMap(([, filterValues]) => filterValues), limit);
    return `(select l.id from license l join plan p on p.id = l.plan_id join product pr on pr.id = p.product_id
              where ${conditions.join(' and ')} order by l.created_at desc, l.id desc limit ?)`;
  });
  const rows = await em.fork().execute<Row[]>(
    `with hit as (${branches.join(' union ')})
     select l.id, l.key_hint, l.status, l.status_reason, l.expires_at, l.trial_ends_at, l.created_at,
            pr.code as product_code, pr.name as product_name, p.id as plan_id, p.code as plan_code, p.name as plan_name, p.tier,
            c.id as customer_id, c.email, c.name as customer_name
       from hit
       join license l on l.id = hit.id
       join plan p on p.id = l.plan_id
       join product pr on pr.id = p.product_id
       left join customer c on c.id = l.customer_id
      order by l.created_at desc, l.id desc
      limit ?`,
    [...params, limit],
  );
  const hits = rows.slice(0, search.limit).map(
    (row): LicenseSearchHit => ({
      id: row.id,
      keyHint: row.key_hint,
      status: row.status,
      statusReason: row.status_reason,
      product: { code: row.product_code, name: row.product_name },
      plan: { id: row.plan_id, code: row.plan_code, name: row.plan_name, tier: row.tier },
      customer: row.customer_id ? { id: row.customer_id, email: row.email!, name: row.customer_name } : null,
      expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      trialEndsAt: row.trial_ends_at ? new Date(row.trial_ends_at) : null,
      createdAt: new Date(row.created_at),
      matched: matchOf(term, row, search.q ?? ''),
    }),
  );
  return { hits, hasMore: rows.length > search.limit };
}
