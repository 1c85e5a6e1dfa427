import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { generateLicenseKey, licenseKeyHint } from '../lib/license-key.ts';
import type { ServerSecret } from '../lib/server-secret.ts';

/** Seat limit of the plan the activation runs use. */
export const TEAM_SEAT_LIMIT = 10;

export interface SeededLicenses {
  /** Raw keys, bench only: index i is license i. */
  keys: string[];
  /** Indices of licenses on the `team` plan (DEVICE, TEAM_SEAT_LIMIT seats). */
  teamIndices: number[];
  /** Indices of licenses on the `site` plan (DEVICE, unlimited seats). */
  siteIndices: number[];
  ms: number;
}

const BATCH = 10_000;

/**
 * Bulk seed straight into Postgres (not through the ORM's unit of work): one product, two plans,
 * and `count` ACTIVE licenses, inserted in batches of BATCH rows with one `unnest` INSERT each.
 */
export async function seedLicenses(url: string, secret: ServerSecret, count: number): Promise<SeededLicenses> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const productId = randomUUID();
    const teamPlanId = randomUUID();
    const sitePlanId = randomUUID();
    await client.query('begin');
    await client.query(
      `insert into product (id, code, name, metadata, created_at, updated_at) values ($1, 'bench', 'Bench product', '{}', now(), now())`,
      [productId],
    );
    await client.query(
      `insert into plan (id, product_id, code, name, tier, features, seat_limit, seat_model, created_at, updated_at)
       values ($1, $3, 'team', 'Team', 'pro', '{"export": true}', $4, 'DEVICE', now(), now()),
              ($2, $3, 'site', 'Site', 'enterprise', '{"export": true, "sso": true}', null, 'DEVICE', now(), now())`,
      [teamPlanId, sitePlanId, productId, TEAM_SEAT_LIMIT],
    );
    await client.query('commit');

    const keys: string[] = new Array(count);
    const teamIndices: number[] = [];
    const siteIndices: number[] = [];
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      const ids: string[] = [];
      const hashes: string[] = [];
      const hints: string[] = [];
      const plans: string[] = [];
      for (let i = from; i < to; i++) {
        const key = generateLicenseKey();
        keys[i] = key;
        ids.push(randomUUID());
        hashes.push(secret.lookupHash(key));
        hints.push(licenseKeyHint(key));
        // Three in four licenses are on the seat-limited plan.
        const team = i % 4 !== 3;
        plans.push(team ? teamPlanId : sitePlanId);
        (team ? teamIndices : siteIndices).push(i);
      }
      await client.query(
        `insert into license (id, key_hash, key_hint, status, plan_id, customer_id, overrides, expires_at, metadata, version, created_at, updated_at)
         select u.id, u.key_hash, u.key_hint, 'ACTIVE', u.plan_id, null, '{}', now() + interval '365 days', '{}', 1, now(), now()
           from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::uuid[]) as u(id, key_hash, key_hint, plan_id)`,
        [ids, hashes, hints, plans],
      );
    }
    await client.query('analyze');
    return { keys, teamIndices, siteIndices, ms: performance.now() - started };
  } finally {
    await client.end();
  }
}

/**
 * Licenses holding more live activations than their effective seat limit (overrides over
 * plan). Must be 0 after any amount of concurrent activation.
 */
export async function countOverAllocated(url: string): Promise<{ violations: number; liveActivations: number; licensesWithActivations: number; fullLicenses: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ violations: number; live: number; licenses: number; full: number }>(
      `with live as (
         select a.license_id, count(*)::int as n from activation a where a.deactivated_at is null group by a.license_id
       ), limits as (
         select l.id, coalesce((l.overrides->>'seatLimit')::int, p.seat_limit) as seat_limit
           from license l join plan p on p.id = l.plan_id
       )
       select count(*) filter (where lim.seat_limit is not null and live.n > lim.seat_limit)::int as violations,
              coalesce(sum(live.n), 0)::int as live,
              count(*)::int as licenses,
              count(*) filter (where lim.seat_limit is not null and live.n = lim.seat_limit)::int as full
         from live join limits lim on lim.id = live.license_id`,
    );
    const row = rows[0]!;
    return { violations: row.violations, liveActivations: row.live, licensesWithActivations: row.licenses, fullLicenses: row.full };
  } finally {
    await client.end();
  }
}

/** What the server's Postgres sessions are doing, e.g. `10 idle in transaction, 1 idle`. */
export async function sessionStates(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string; n: number }>(
      `select coalesce(state, '?') as state, count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
        group by 1 order by 2 desc`,
    );
    return rows.map((row) => `${row.n} ${row.state}`).join(', ') || 'none';
  } finally {
    await client.end();
  }
}

/** Settles Postgres after the bulk load, so background maintenance does not land in a measured run. */
export async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum (analyze)');
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

/** Bytes on disk: the whole database, the license table and the activation table (each with indexes and TOAST). */
export async function databaseSize(url: string): Promise<{ database: number; licenses: number; activations: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ database: string; licenses: string; activations: string }>(
      `select pg_database_size(current_database()) as database, pg_total_relation_size('license') as licenses, pg_total_relation_size('activation') as activations`,
    );
    const row = rows[0]!;
    return { database: Number(row.database), licenses: Number(row.licenses), activations: Number(row.activations) };
  } finally {
    await client.end();
  }
}
