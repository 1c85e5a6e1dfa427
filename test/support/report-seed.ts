import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

const DAY_MS = 86_400_000;

/** Seeded traffic for the reports: catalog, customers, licenses in every state, validations, seats, renewals, a Stripe price. */
export interface ReportSeed {
  today: Date;
  /** A UTC day relative to today, as YYYY-MM-DD. */
  day(offset: number): string;
  at(offset: number, hours?: number): Date;
  licenses: Record<'pro1' | 'pro2' | 'team1' | 'team2' | 'site1' | 'site2' | 'pro3' | 'trial', string>;
}

/**
 * Inserts the reports' fixture straight into Postgres (the reports read only tables, so the
 * rows are what a year of traffic would leave): two products, three plans, three customers,
 * eight licenses (active, trialing, suspended, expired, revoked), validations per day, live and
 * ended activations with domains, renewals in the audit trail, a Stripe subscription with a price,
 * seat snapshots, and the usage events' daily roll-ups (verdicts and countries).
 */
export async function seedReports(em: EntityManager): Promise<ReportSeed> {
  const now = new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const at = (offset: number, hours = 12) => new Date(today.getTime() + offset * DAY_MS + hours * 3_600_000);
  const day = (offset: number) => new Date(today.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  const db = em.fork();
  const sql = (query: string, params: unknown[] = []) => db.execute(query, params);

  const [desktop, plugin] = [randomUUID(), randomUUID()];
  await sql(`insert into product (id, code, name, metadata, created_at, updated_at) values (?, 'acme-desktop', 'Acme Desktop', '{}', now(), now()), (?, 'acme-plugin', 'Acme Plugin', '{}', now(), now())`, [desktop, plugin]);
  const plan = async (product: string, code: string, tier: string, seats: number, features: object, termDays: number | null) => {
    const id = randomUUID();
    await sql(
      `insert into plan (id, product_id, code, name, tier, features, seat_limit, term_kind, term_days, stripe_price_ids, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', now(), now())`,
      [id, product, code, code.toUpperCase(), tier, JSON.stringify(features), seats, termDays ? 'DURATION' : 'PERPETUAL', termDays],
    );
    return id;
  };
  const pro = await plan(desktop, 'pro', 'pro', 5, {}, 365);
  const team = await plan(desktop, 'team', 'team', 10, { max_domains: 2, max_countries: 3 }, 365);
  const site = await plan(plugin, 'site', 'basic', 2, {}, 365);
  const customer = async (email: string) => {
    const id = randomUUID();
    await sql(`insert into customer (id, email, name, metadata, created_at, updated_at) values (?, ?, ?, '{}', now(), now())`, [id, email, email.split('@')[0]]);
    return id;
  };
  const [ada, bob, cy] = [await customer('ada@example.com'), await customer('bob@example.com'), await customer('cy@example.com')];

  const license = async (planId: string, customerId: string, status: string, created: number, expires: number | null, extra: { firstValidatedHours?: number; metadata?: object; subscription?: string; overageSince?: number } = {}) => {
    const id = randomUUID();
    await sql(
      `insert into license (id, key_hash, key_hint, status, plan_id, customer_id, overrides, expires_at, metadata, stripe_subscription_id, overage_started_at, version, created_at, updated_at, first_validated_at)
       values (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, 1, ?, ?, ?)`,
      [
        id, randomBytes(32).toString('hex'), `KW-…-${randomBytes(2).toString('hex').toUpperCase()}`, status, planId, customerId,
        expires === null ? null : at(expires, 0), JSON.stringify(extra.metadata ?? {}), extra.subscription ?? null,
        extra.overageSince === undefined ? null : at(extra.overageSince, 0), at(created, 0), at(created, 0),
        extra.firstValidatedHours === undefined ? null : new Date(at(created, 0).getTime() + extra.firstValidatedHours * 3_600_000),
      ],
    );
    return id;
  };
  const licenses = {
    pro1: await license(pro, ada, 'ACTIVE', -100, 265, { firstValidatedHours: 2, subscription: 'sub_reports_1', overageSince: -12 }),
    pro2: await license(pro, bob, 'ACTIVE', -10, 355, { firstValidatedHours: 30, metadata: { renewal_value: 1200, currency: 'eur', renewal_period_months: 12 } }),
    team1: await license(team, ada, 'ACTIVE', -200, 165, { metadata: { renewal_value: 600, renewal_period_months: 12 } }),
    team2: await license(team, cy, 'REVOKED', -300, 45, { firstValidatedHours: 5, metadata: { renewal_value: 1200, renewal_period_months: 12 } }),
    site1: await license(site, bob, 'EXPIRED', -400, -35, { firstValidatedHours: 50 }),
    site2: await license(site, cy, 'ACTIVE', -500, 305, { firstValidatedHours: 1 }),
    pro3: await license(pro, ada, 'SUSPENDED', -50, 315, { firstValidatedHours: 20 }),
    trial: await license(pro, bob, 'TRIALING', -2, null, { firstValidatedHours: 1 }),
  };
  const validations: [string, number, number][] = [
    [licenses.pro1, -5, 10], [licenses.pro1, -40, 3], [licenses.pro2, -1, 4], [licenses.team2, -15, 7], [licenses.team2, -25, 2],
    [licenses.site1, -3, 5], [licenses.site2, -2, 1], [licenses.pro3, -9, 1], [licenses.trial, -2, 1],
  ];
  for (const [id, offset, count] of validations) await sql(`insert into license_validation_day (license_id, day, count) values (?, ?, ?)`, [id, day(offset), count]);

  const activation = async (id: string, fingerprint: string, seen: number, options: { domain?: string; ended?: boolean } = {}) =>
    sql(
      `insert into activation (id, license_id, fingerprint, kind, domain, first_seen_at, last_seen_at, deactivated_at) values (?, ?, ?, 'MACHINE', ?, ?, ?, ?)`,
      [randomUUID(), id, fingerprint, options.domain ?? null, at(seen - 30), at(seen), options.ended ? at(seen) : null],
    );
  for (let n = 0; n < 6; n++) await activation(licenses.pro1, `pro1-${n}`, -1);
  await activation(licenses.pro2, 'pro2-a', -1);
  await activation(licenses.pro2, 'pro2-b', -1);
  await activation(licenses.pro2, 'pro2-old', -20, { ended: true });
  for (const domain of ['a.example', 'b.example', 'C.example']) await activation(licenses.team1, `team1-${domain}`, -3, { domain });
  await activation(licenses.site2, 'site2-a', -2, { domain: 'shop.example' });
  await activation(licenses.site2, 'site2-b', -2, { domain: 'www.shop.example' });

  const audit = (id: string, created: number, action: string, before: object, after: object) =>
    sql(`insert into audit_event (id, license_id, actor, action, before, after, created_at) values (?, ?, 'workflow', ?, ?, ?, ?)`, [randomUUID(), id, action, JSON.stringify(before), JSON.stringify(after), at(created)]);
  await audit(licenses.site2, -425, 'license.renewed', { expiresAt: at(-425, 0).toISOString() }, { expiresAt: at(-60, 0).toISOString() });
  await audit(licenses.site2, -60, 'license.renewed', { expiresAt: at(-60, 0).toISOString() }, { expiresAt: at(305, 0).toISOString() });
  await audit(licenses.team2, -20, 'license.revoked', { status: 'ACTIVE' }, { status: 'REVOKED' });
  await audit(licenses.site1, -35, 'license.expired', { status: 'ACTIVE' }, { status: 'EXPIRED' });
  await audit(licenses.pro3, -8, 'license.suspended', { status: 'ACTIVE' }, { status: 'SUSPENDED' });

  // The Stripe subscription behind pro1: 5 seats at 10.00 USD a month.
  const subscription = { id: 'sub_reports_1', object: 'subscription', status: 'active', currency: 'usd', items: { data: [{ price: { id: 'price_pro', unit_amount: 1000, currency: 'usd', recurring: { interval: 'month', interval_count: 1 } }, quantity: 5 }] } };
  await sql(
    `insert into stripe_event (id, type, stripe_created_at, livemode, payload, status, subscription_id, license_id, attempts, created_at, updated_at)
     values ('evt_reports_1', 'customer.subscription.updated', ?, false, ?, 'PROCESSED', 'sub_reports_1', ?, 1, now(), now())`,
    [at(-30), JSON.stringify({ id: 'evt_reports_1', type: 'customer.subscription.updated', data: { object: subscription } }), licenses.pro1],
  );
  for (const [id, offset, seats] of [[licenses.pro1, -2, 5], [licenses.pro1, -1, 6], [licenses.pro2, -1, 2], [licenses.team1, -1, 3]] as const) {
    await sql(`insert into license_seat_day (license_id, day, seats_in_use, seat_limit) values (?, ?, ?, (select p.seat_limit from license l join plan p on p.id = l.plan_id where l.id = ?))`, [id, day(offset), seats, id]);
  }
  // The usage events' daily roll-ups: validation verdicts, and the countries a key was used from.
  const usage: [string, number, string, number, string[]][] = [
    [licenses.pro1, -5, 'VALID', 90, ['DE']], [licenses.pro1, -5, 'SEAT_LIMIT_EXCEEDED', 10, ['DE']], [licenses.team2, -15, 'REVOKED', 7, ['FR']],
    [licenses.site1, -3, 'EXPIRED', 5, ['US']], [licenses.team1, -3, 'VALID', 4, ['DE', 'FR']], [licenses.team1, -2, 'VALID', 6, ['FR', 'GB', 'US']],
    [licenses.team2, -40, 'VALID', 3, ['FR']],
  ];
  for (const [id, offset, code, events, countries] of usage) {
    await sql(`insert into usage_day (license_id, day, kind, code, events, countries) values (?, ?, 'validation', ?, ?, ?)`, [id, day(offset), code, events, JSON.stringify(countries)]);
  }
  return { today, day, at, licenses };
}
