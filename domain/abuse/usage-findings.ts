import type { EntityManager } from '@mikro-orm/postgresql';
import { domainAllowed } from '../../lib/network-match.ts';
import type { AbusePolicy } from '../../schema/abuse/abuse-policy.ts';
import { count, licenseFacts, type AbuseFinding, type LicenseFacts } from './abuse-finding.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How many addresses, countries, hosts or machines an alert's evidence lists. */
const SAMPLE = 20;
/** Hosts a developer's own machine calls from: never a mismatch. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

type Sql = <T>(query: string, params: unknown[]) => Promise<T[]>;

/** VELOCITY: more validations in the last hour than the plan allows, from many addresses. */
async function velocity(sql: Sql, facts: (ids: string[]) => Promise<Map<string, LicenseFacts>>, now: Date): Promise<AbuseFinding[]> {
  const since = new Date(now.getTime() - HOUR);
  const rows = await sql<{ license_id: string; validations: number; ips: number; sample: string[] }>(
    `select license_id, sum(count)::int as validations, count(distinct ip)::int as ips, (array_agg(distinct ip))[1:${SAMPLE}] as sample
       from usage_event where kind = 'validation' and license_id is not null and occurred_at > ? and occurred_at <= ?
      group by license_id having count(distinct ip) > 1`,
    [since, now],
  );
  const known = await facts(rows.map((row) => row.license_id));
  return rows.flatMap((row) => {
    const policy = known.get(row.license_id)?.abuse;
    if (!policy || row.validations <= policy.velocityValidationsPerHour || row.ips < policy.velocityDistinctIps) return [];
    return [{
      licenseId: row.license_id, kind: 'VELOCITY' as const, windowStart: since, windowEnd: now,
      evidence: { validations: row.validations, distinct_ips: row.ips, threshold_validations: policy.velocityValidationsPerHour, threshold_distinct_ips: policy.velocityDistinctIps, sample_ips: row.sample },
      summary: `${count(row.validations)} validations from ${count(row.ips)} addresses in one hour (plan allows ${count(policy.velocityValidationsPerHour)} from ${count(policy.velocityDistinctIps)})`,
    }];
  });
}

/** GEO_SPREAD: one key seen from more countries in the last 24 hours than the plan allows. */
async function geographicSpread(sql: Sql, facts: (ids: string[]) => Promise<Map<string, LicenseFacts>>, now: Date): Promise<AbuseFinding[]> {
  const since = new Date(now.getTime() - DAY);
  const rows = await sql<{ license_id: string; countries: string[] }>(
    `select license_id, array_agg(distinct country order by country) as countries from usage_event
      where license_id is not null and country is not null and occurred_at > ? and occurred_at <= ?
      group by license_id having count(distinct country) > 1`,
    [since, now],
  );
  const known = await facts(rows.map((row) => row.license_id));
  return rows.flatMap((row) => {
    const policy = known.get(row.license_id)?.abuse;
    if (!policy || row.countries.length <= policy.maxCountriesPerDay) return [];
    return [{
      licenseId: row.license_id, kind: 'GEO_SPREAD' as const, windowStart: since, windowEnd: now,
      evidence: { countries: row.countries, distinct_countries: row.countries.length, threshold: policy.maxCountriesPerDay },
      summary: `seen from ${row.countries.length} countries within 24 hours (plan allows ${policy.maxCountriesPerDay}): ${row.countries.slice(0, SAMPLE).join(', ')}`,
    }];
  });
}

/** True when a page on `host` may stand for the domain claimed: the same host, or one a subdomain of the other. */
function sameSite(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`) || domain.endsWith(`.${host}`);
}

/**
 * REFERRER_MISMATCH: calls in the last hour from pages (Origin/Referer) whose host is neither the
 * domain the call claimed nor one the license allows. Calls without an Origin/Referer (desktop
 * software) and licenses with nothing to compare against are not judged.
 */
async function referrerMismatch(sql: Sql, facts: (ids: string[]) => Promise<Map<string, LicenseFacts>>, now: Date): Promise<AbuseFinding[]> {
  const since = new Date(now.getTime() - HOUR);
  const rows = await sql<{ license_id: string; origin_host: string; domain: string | null; calls: number }>(
    `select license_id, origin_host, domain, sum(count)::int as calls from usage_event
      where license_id is not null and origin_host is not null and occurred_at > ? and occurred_at <= ?
      group by license_id, origin_host, domain`,
    [since, now],
  );
  const known = await facts(rows.map((row) => row.license_id));
  const mismatches = new Map<string, { origin_host: string; domain_claimed: string | null; calls: number }[]>();
  for (const row of rows) {
    const license = known.get(row.license_id);
    if (!license?.abuse.referrerCheck || LOCAL_HOSTS.has(row.origin_host)) continue;
    if (!row.domain && !license.allowedDomains.length) continue;
    if (row.domain && sameSite(row.origin_host, row.domain)) continue;
    if (license.allowedDomains.length && domainAllowed(row.origin_host, license.allowedDomains)) continue;
    const list = mismatches.get(row.license_id) ?? [];
    list.push({ origin_host: row.origin_host, domain_claimed: row.domain, calls: row.calls });
    mismatches.set(row.license_id, list);
  }
  return [...mismatches].map(([licenseId, pairs]) => {
    const calls = pairs.reduce((sum, pair) => sum + pair.calls, 0);
    const first = pairs[0]!;
    return {
      licenseId, kind: 'REFERRER_MISMATCH' as const, windowStart: since, windowEnd: now,
      evidence: { calls, mismatches: pairs.slice(0, SAMPLE), allowed_domains: known.get(licenseId)!.allowedDomains },
      summary: `${count(calls)} calls from pages on ${first.origin_host} claiming ${first.domain_claimed ?? 'no domain'}${pairs.length > 1 ? ` (and ${pairs.length - 1} more hosts)` : ''}`,
    };
  });
}

/** The machines one key may show in a week: the plan's setting, or three times its seats (unlimited seats: no limit). */
const fingerprintLimit = (policy: AbusePolicy, seatLimit: number | null) => policy.fingerprintsPerWeek ?? (seatLimit === null ? null : seatLimit * 3);

/** KEY_SHARING: more distinct machines (fingerprints) on one key in 7 days than the plan allows. */
async function keySharing(sql: Sql, facts: (ids: string[]) => Promise<Map<string, LicenseFacts>>, now: Date): Promise<AbuseFinding[]> {
  const since = new Date(now.getTime() - 7 * DAY);
  const rows = await sql<{ license_id: string; fingerprints: number; sample: string[] }>(
    `select license_id, count(distinct fingerprint)::int as fingerprints, (array_agg(distinct fingerprint))[1:${SAMPLE}] as sample from usage_event
      where license_id is not null and fingerprint is not null and occurred_at > ? and occurred_at <= ?
      group by license_id having count(distinct fingerprint) > 1`,
    [since, now],
  );
  const known = await facts(rows.map((row) => row.license_id));
  return rows.flatMap((row) => {
    const license = known.get(row.license_id);
    const limit = license ? fingerprintLimit(license.abuse, license.seatLimit) : null;
    if (limit === null || row.fingerprints <= limit) return [];
    return [{
      licenseId: row.license_id, kind: 'KEY_SHARING' as const, windowStart: since, windowEnd: now,
      evidence: { distinct_fingerprints: row.fingerprints, threshold: limit, seat_limit: license!.seatLimit, sample_fingerprints: row.sample },
      summary: `${count(row.fingerprints)} machines on one key within 7 days (plan allows ${count(limit)} for ${license!.seatLimit} seats)`,
    }];
  });
}

/** Every usage-based finding at `now`, judged against each license's plan policy. */
export async function findUsageAbuse(em: EntityManager, now: Date, policies: Map<string, AbusePolicy>): Promise<AbuseFinding[]> {
  const sql: Sql = (query, params) => em.getConnection().execute(query, params);
  const cache = new Map<string, LicenseFacts>();
  const facts = async (ids: string[]) => {
    const missing = ids.filter((id) => !cache.has(id));
    for (const [id, fact] of await licenseFacts(em, missing, policies)) cache.set(id, fact);
    return cache;
  };
  return [
    ...(await velocity(sql, facts, now)),
    ...(await geographicSpread(sql, facts, now)),
    ...(await referrerMismatch(sql, facts, now)),
    ...(await keySharing(sql, facts, now)),
  ];
}
