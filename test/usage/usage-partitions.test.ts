import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';
import { listUsagePartitions, maintainUsagePartitions } from '../../domain/usage/usage-partitions.ts';
import { rollUpUsageDays } from '../../domain/usage/roll-up-usage-days.ts';
import { maintainUsage } from '../../activities/usage/maintain-usage.ts';
import { writeUsageEvents } from '../../domain/usage/write-usage-events.ts';
import type { AggregatedCall } from '../../domain/usage/usage-buffer.ts';

const at = (iso: string) => Date.parse(iso);

describe('usage_event day partitions and retention, on a fake clock', () => {
  let db: TestDatabase;
  let licenseId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    licenseId = (await insertLicense(db.orm.em, testSecret())).license.id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const event = (firstAt: number, overrides: Partial<AggregatedCall> = {}): AggregatedCall => ({
    kind: 'validation', code: 'VALID', licenseId, ip: '81.2.69.142', origin: 'https://shop.example.com/page', domain: 'Shop.Example.com',
    fingerprint: 'fp-1', client: '@keywarden/client/0.1.0', firstAt, count: 1, ...overrides,
  });
  const write = (...calls: AggregatedCall[]) => writeUsageEvents(db.orm.em.fork(), calls, (ip) => (ip === '81.2.69.142' ? 'GB' : null));
  const sql = <T = any>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const rowsIn = async (table: string) => (await sql<{ n: number }>(`select count(*)::int as n from "${table}"`))[0]!.n;

  it('creates today\'s and the next days\' partitions, moving rows the default partition caught, and the schema stays the entities\'', async () => {
    // Written before any day partition exists: the default partition takes them (nothing is refused).
    await write(event(at('2026-03-10T08:00:00Z')), event(at('2026-03-09T23:59:59Z'), { count: 4 }), event(at('2026-01-01T00:00:00Z')));
    expect(await rowsIn('usage_event_default')).toBe(3);

    const first = await maintainUsagePartitions(db.orm.em.fork(), new Date('2026-03-10T12:00:00Z'), { retentionDays: 30 });
    // Within the retention: 03-09 (a stray row) and today through 3 days ahead; 01-01 is past it.
    expect(first).toEqual({ created: ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'], dropped: [] });
    expect(await listUsagePartitions(db.orm.em.fork())).toEqual(first.created);
    expect(await rowsIn('usage_event_20260310')).toBe(1);
    expect(await rowsIn('usage_event_20260309')).toBe(1);
    // The row older than the retention was deleted from the default partition.
    expect(await rowsIn('usage_event_default')).toBe(0);
    // What was written reads back whole, with the country and hosts worked out at flush time.
    expect(await sql(`select license_id, kind, code, ip, country, origin_host, domain, fingerprint, sdk_name, sdk_version, count from usage_event where occurred_at >= '2026-03-10'`)).toEqual([
      { license_id: licenseId, kind: 'validation', code: 'VALID', ip: '81.2.69.142', country: 'GB', origin_host: 'shop.example.com', domain: 'shop.example.com', fingerprint: 'fp-1', sdk_name: '@keywarden/client', sdk_version: '0.1.0', count: 1 },
    ]);
    // Partitions are invisible to MikroORM's schema comparison.
    expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');

    // Running again at the same time changes nothing.
    expect(await maintainUsagePartitions(db.orm.em.fork(), new Date('2026-03-10T13:00:00Z'), { retentionDays: 30 })).toEqual({ created: [], dropped: [] });
  });

  it('drops whole days past the retention, keeping their roll-ups for good', async () => {
    expect(await rollUpUsageDays(db.orm.em.fork(), ['2026-03-09', '2026-03-10'])).toBe(2);
    const rollUps = await sql(`select to_char(day, 'YYYY-MM-DD') as day, events::int, distinct_ips, distinct_fingerprints, countries, domains from usage_day order by day`);
    expect(rollUps).toEqual([
      { day: '2026-03-09', events: 4, distinct_ips: 1, distinct_fingerprints: 1, countries: ['GB'], domains: ['shop.example.com'] },
      { day: '2026-03-10', events: 1, distinct_ips: 1, distinct_fingerprints: 1, countries: ['GB'], domains: ['shop.example.com'] },
    ]);

    // On 04-10 a 30-day retention keeps 03-12 through 04-10: the three days before go, whole.
    const later = await maintainUsagePartitions(db.orm.em.fork(), new Date('2026-04-10T00:30:00Z'), { retentionDays: 30 });
    expect(later.dropped).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    expect(later.created).toEqual(['2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13']);
    expect((await listUsagePartitions(db.orm.em.fork()))[0]).toBe('2026-03-12');
    expect(await sql(`select count(*)::int as n from usage_event where occurred_at < '2026-03-12'`)).toEqual([{ n: 0 }]);
    expect(await sql(`select count(*)::int as n from usage_day`)).toEqual([{ n: 2 }]);
  });

  it('the schedule\'s activity maintains partitions and rolls up yesterday, today and any day left without a roll-up', async () => {
    await write(event(at('2026-04-08T10:00:00Z'), { count: 2 }), event(at('2026-04-09T10:00:00Z'), { ip: '10.0.0.1' }), event(at('2026-04-10T01:00:00Z')));
    const result = await maintainUsage({ em: db.orm.em, rawRetentionDays: 30 })({ at: at('2026-04-10T02:00:00Z') });
    expect(result).toEqual({ created: ['2026-04-08', '2026-04-09'], dropped: [], rolledUp: ['2026-04-08', '2026-04-09', '2026-04-10'] });
    const rollUps = await sql(`select to_char(day, 'YYYY-MM-DD') as day, events::int, countries from usage_day where day >= '2026-04-01' order by day`);
    expect(rollUps).toEqual([
      { day: '2026-04-08', events: 2, countries: ['GB'] },
      { day: '2026-04-09', events: 1, countries: [] },
      { day: '2026-04-10', events: 1, countries: ['GB'] },
    ]);
  });
});
