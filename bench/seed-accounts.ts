import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { generateLicenseKey, licenseKeyHint } from '../lib/license-key.ts';
import type { ServerSecret } from '../lib/server-secret.ts';

/**
 * Licenses as a seller's console sees them, for the search bench: customers with names and
 * e-mails (some holding several licenses), two products with three plans each, every status,
 * expiries spread over two years either side of today, creation over three years, and Stripe
 * customers and subscriptions on about a third. Bulk-inserted with `unnest`, like seed.ts.
 */
export interface SeededAccounts {
  /** Raw keys, bench only: index i is license i. */
  keys: string[];
  licenseIds: string[];
  emails: string[];
  lastNames: readonly string[];
  stripeCustomerIds: string[];
  stripeSubscriptionIds: string[];
  ms: number;
}

const FIRST = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald', 'margaret', 'ken', 'dennis', 'frances', 'john', 'radia', 'leslie', 'niklaus', 'tony', 'hedy', 'katherine', 'linus', 'guido', 'anders'];
const LAST = ['lovelace', 'hopper', 'turing', 'dijkstra', 'liskov', 'knuth', 'hamilton', 'thompson', 'ritchie', 'allen', 'backus', 'perlman', 'lamport', 'wirth', 'hoare', 'lamarr', 'johnson', 'torvalds', 'rossum', 'hejlsberg'];
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'TRIALING', 'PAST_DUE', 'SUSPENDED', 'EXPIRED', 'REVOKED'] as const;
const BATCH = 10_000;
const DAY = 86_400_000;

export async function seedAccounts(url: string, secret: ServerSecret, count: number): Promise<SeededAccounts> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const plans: string[] = [];
    await client.query('begin');
    for (const [code, name] of [['desktop', 'Acme Desktop'], ['server', 'Acme Server']] as const) {
      const productId = randomUUID();
      await client.query(`insert into product (id, code, name, metadata, created_at, updated_at) values ($1, $2, $3, '{}', now(), now())`, [productId, code, name]);
      for (const [plan, tier, seats] of [['standard', 'standard', 10], ['team', 'pro', 25], ['enterprise', 'enterprise', null]] as const) {
        const planId = randomUUID();
        plans.push(planId);
        await client.query(
          `insert into plan (id, product_id, code, name, tier, features, seat_limit, seat_model, term_kind, term_days, created_at, updated_at)
           values ($1, $2, $3, $4, $5, '{"export": true}', $6, 'DEVICE', 'DURATION', 365, now(), now())`,
          [planId, productId, plan, plan[0]!.toUpperCase() + plan.slice(1), tier, seats],
        );
      }
    }
    await client.query('commit');

    // About 0.6 customers per license: most hold one, some several.
    const customerCount = Math.ceil(count * 0.6);
    const customerIds = Array.from({ length: customerCount }, () => randomUUID());
    const emails: string[] = [];
    const stripeCustomerIds: string[] = [];
    for (let from = 0; from < customerCount; from += BATCH) {
      const ids: string[] = [];
      const mails: string[] = [];
      const names: string[] = [];
      const stripe: (string | null)[] = [];
      for (let i = from; i < Math.min(customerCount, from + BATCH); i++) {
        const first = FIRST[i % FIRST.length]!;
        const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
        const email = `${first}.${last}.${i}@company${i % 5_000}.example`;
        ids.push(customerIds[i]!);
        mails.push(email);
        emails.push(email);
        names.push(`${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`);
        const stripeId = i % 3 === 0 ? `cus_bench${i.toString(36).padStart(8, '0')}` : null;
        stripe.push(stripeId);
        if (stripeId) stripeCustomerIds.push(stripeId);
      }
      await client.query(
        `insert into customer (id, email, name, stripe_customer_id, metadata, created_at, updated_at)
         select u.id, u.email, u.name, u.stripe, '{}', now(), now() from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[]) as u(id, email, name, stripe)`,
        [ids, mails, names, stripe],
      );
    }

    const keys: string[] = new Array(count);
    const licenseIds: string[] = new Array(count);
    const stripeSubscriptionIds: string[] = [];
    const now = Date.now();
    for (let from = 0; from < count; from += BATCH) {
      const cols = { id: [] as string[], hash: [] as string[], hint: [] as string[], status: [] as string[], plan: [] as string[], customer: [] as string[], expires: [] as string[], created: [] as string[], sub: [] as (string | null)[] };
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const key = generateLicenseKey();
        keys[i] = key;
        licenseIds[i] = randomUUID();
        cols.id.push(licenseIds[i]!);
        cols.hash.push(secret.lookupHash(key));
        cols.hint.push(licenseKeyHint(key));
        cols.status.push(STATUSES[i % STATUSES.length]!);
        cols.plan.push(plans[i % plans.length]!);
        cols.customer.push(customerIds[i % customerCount]!);
        // Spread deterministically: expiries within two years either side, creation over three.
        cols.expires.push(new Date(now + (((i * 7919) % 1460) - 730) * DAY).toISOString());
        cols.created.push(new Date(now - ((i * 104729) % (1095 * 24)) * 3_600_000).toISOString());
        const sub = i % 3 === 0 ? `sub_bench${i.toString(36).padStart(8, '0')}` : null;
        cols.sub.push(sub);
        if (sub) stripeSubscriptionIds.push(sub);
      }
      await client.query(
        `insert into license (id, key_hash, key_hint, status, plan_id, customer_id, overrides, expires_at, metadata, version, stripe_subscription_id, created_at, updated_at)
         select u.id, u.hash, u.hint, u.status::license_status, u.plan, u.customer, '{}', u.expires, '{}', 1, u.sub, u.created, u.created
           from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::text[], $5::uuid[], $6::uuid[], $7::timestamptz[], $8::timestamptz[], $9::varchar[])
             as u(id, hash, hint, status, plan, customer, expires, created, sub)`,
        [cols.id, cols.hash, cols.hint, cols.status, cols.plan, cols.customer, cols.expires, cols.created, cols.sub],
      );
    }
    await client.query('vacuum (analyze)');
    return { keys, licenseIds, emails, lastNames: LAST, stripeCustomerIds, stripeSubscriptionIds, ms: performance.now() - started };
  } finally {
    await client.end();
  }
}
