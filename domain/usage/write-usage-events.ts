import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { AggregatedCall } from './usage-buffer.ts';
import { clientSoftware, originHost } from './call-origin.ts';

/** ISO country code of an address, from an offline database (lib/geo-country.ts); null when unknown. */
export type CountryOf = (ip: string) => string | null;

/** The licenses of the key hashes that seat calls were recorded with (one query per flush). */
async function licensesOfKeys(em: EntityManager, calls: readonly AggregatedCall[]): Promise<Map<string, string>> {
  const hashes = [...new Set(calls.flatMap((call) => (!call.licenseId && call.keyHash ? [call.keyHash] : [])))];
  if (hashes.length === 0) return new Map();
  const rows = await em.getConnection().execute<{ id: string; key_hash: string }[]>(
    `select id, key_hash from license where key_hash in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(hashes)],
  );
  return new Map(rows.map((row) => [row.key_hash, row.id]));
}

/**
 * Writes one flush's rows in one statement: a multi-row insert from a JSON array into the
 * partitioned usage_event (Postgres routes each row to its day's partition, or the default
 * one). Countries, origin hosts and SDK names are worked out here, off the hot path.
 */
export async function writeUsageEvents(em: EntityManager, calls: readonly AggregatedCall[], countryOf: CountryOf): Promise<number> {
  if (calls.length === 0) return 0;
  const licenseOfKey = await licensesOfKeys(em, calls);
  const countries = new Map<string, string | null>();
  const rows = calls.map((call) => {
    let country: string | null = null;
    if (call.ip) {
      if (!countries.has(call.ip)) countries.set(call.ip, countryOf(call.ip));
      country = countries.get(call.ip)!;
    }
    const sdk = clientSoftware(call.client);
    return {
      id: randomUUID(),
      occurred_at: new Date(call.firstAt).toISOString(),
      license_id: call.licenseId ?? (call.keyHash ? licenseOfKey.get(call.keyHash) : undefined) ?? null,
      kind: call.kind,
      code: call.code,
      ip: call.ip ?? null,
      country,
      origin_host: originHost(call.origin),
      domain: call.domain?.toLowerCase() ?? null,
      fingerprint: call.fingerprint ?? null,
      sdk_name: sdk.name,
      sdk_version: sdk.version,
      count: call.count,
    };
  });
  await em.getConnection().execute(
    `insert into usage_event (id, occurred_at, license_id, kind, code, ip, country, origin_host, domain, fingerprint, sdk_name, sdk_version, count)
     select * from jsonb_to_recordset(?::jsonb) as x(id uuid, occurred_at timestamptz, license_id uuid, kind varchar, code varchar, ip varchar,
       country varchar, origin_host varchar, domain varchar, fingerprint varchar, sdk_name varchar, sdk_version varchar, count int)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
