import { startApiStack, startReplica, type ApiStack, type Replica } from '../support/api-stack.ts';
import { insertLicense } from '../support/licenses.ts';
import { testLogger } from '../support/temporal.ts';
import { GeoCountry } from '../../lib/geo-country.ts';
import { UsageRecorder } from '../../domain/usage/usage-recorder.ts';
import { CLIENT_HEADER_VALUE } from '../../sdk/src/client-header.ts';

/** Usage capture through the real client endpoints: what each call records, and the cap. */
describe('usage capture', () => {
  let stack: ApiStack;
  const geo = new GeoCountry();
  const replicas: Replica[] = [];
  const recorders: UsageRecorder[] = [];

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    for (const recorder of recorders) await recorder.close();
    await stack?.close();
  });

  /** A replica with its own recorder, flushed by hand (the interval is longer than any test). */
  async function capturing(options: { maxRows?: number; trustProxy?: { hops: number } } = {}) {
    const recorder = new UsageRecorder({ em: stack.db.orm.em, logger: testLogger, countryOf: (ip) => geo.countryOf(ip), flushIntervalMs: 3_600_000, maxRows: options.maxRows ?? 10_000 });
    recorders.push(recorder);
    const replica = await startReplica(stack, { usage: recorder, trustProxy: options.trustProxy });
    replicas.push(replica);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(replica.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { recorder, replica, post };
  }
  const eventsOf = (licenseId: string) =>
    stack.db.orm.em.fork().getConnection().execute(
      `select kind, code, ip, country, origin_host, domain, fingerprint, sdk_name, sdk_version, count from usage_event where license_id = ? order by kind, code`,
      [licenseId],
    );

  it('records every client call once, with the address through the trusted proxy, its country, the origin host, the domain, the fingerprint and the SDK', async () => {
    const { license, key } = await insertLicense(stack.db.orm.em, stack.secret, {}, { seatLimit: 5 });
    const { recorder, post } = await capturing({ trustProxy: { hops: 1 } });
    const headers = { 'x-forwarded-for': '81.2.69.142', origin: 'https://shop.example.com', 'keywarden-client': CLIENT_HEADER_VALUE };
    for (let i = 0; i < 3; i += 1) expect((await post('/v1/validate', { key, domain: 'shop.example.com' }, headers)).status).toBe(200);
    expect((await post('/v1/activate', { key, fingerprint: 'fp-1' }, headers)).status).toBe(201);
    expect((await post('/v1/heartbeat', { key, fingerprint: 'fp-1' }, headers)).status).toBe(200);
    expect((await post('/v1/deactivate', { key, fingerprint: 'fp-1' }, headers)).status).toBe(200);
    // Refused seat calls are recorded too, with their code and license.
    expect((await post('/v1/heartbeat', { key, fingerprint: 'fp-2' }, { ...headers, origin: 'null', referer: 'https://other.example.net/x' })).status).toBe(422);
    expect((await post('/v1/validate', { key: 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }, headers)).status).toBe(200);
    await recorder.flush();

    const common = { ip: '81.2.69.142', country: 'GB', sdk_name: '@keywarden/client', sdk_version: '0.1.0' };
    expect(await eventsOf(license.id)).toEqual([
      { kind: 'activation', code: 'ACTIVATED', origin_host: 'shop.example.com', domain: null, fingerprint: 'fp-1', count: 1, ...common },
      { kind: 'deactivation', code: 'DEACTIVATED', origin_host: 'shop.example.com', domain: null, fingerprint: 'fp-1', count: 1, ...common },
      { kind: 'heartbeat', code: 'LEASE_RENEWED', origin_host: 'shop.example.com', domain: null, fingerprint: 'fp-1', count: 1, ...common },
      { kind: 'heartbeat', code: 'NOT_ACTIVATED', origin_host: 'other.example.net', domain: null, fingerprint: 'fp-2', count: 1, ...common },
      { kind: 'validation', code: 'VALID', origin_host: 'shop.example.com', domain: 'shop.example.com', fingerprint: null, count: 3, ...common },
    ]);
    const unknown = await stack.db.orm.em.fork().getConnection().execute(`select code, count from usage_event where license_id is null`);
    expect(unknown).toEqual([{ code: 'NOT_FOUND', count: 1 }]);
  });

  it('never takes X-Forwarded-For from a client without TRUST_PROXY', async () => {
    const { license, key } = await insertLicense(stack.db.orm.em, stack.secret);
    const { recorder, post } = await capturing();
    await post('/v1/validate', { key }, { 'x-forwarded-for': '81.2.69.142' });
    await recorder.flush();
    expect(await eventsOf(license.id)).toMatchObject([{ ip: '127.0.0.1', country: null }]);
  });

  it('holds at most USAGE_BUFFER_MAX rows between flushes, counts what it drops, and /metrics says so', async () => {
    const { license, key } = await insertLicense(stack.db.orm.em, stack.secret);
    const { recorder, replica, post } = await capturing({ maxRows: 100 });
    for (let i = 0; i < 150; i += 1) await post('/v1/validate', { key, domain: `site-${i}.example.com` });
    // Calls matching a row already held are counted, never dropped.
    await post('/v1/validate', { key, domain: 'site-0.example.com' });
    expect({ buffered: recorder.buffered, dropped: recorder.dropped }).toEqual({ buffered: 100, dropped: 50 });
    const metrics = await (await fetch(`${replica.url}/metrics`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).text();
    expect(metrics).toMatch(/^keywarden_usage_events_dropped_total 50$/m);
    expect(metrics).toMatch(/^keywarden_usage_buffered_rows 100$/m);
    await recorder.flush();
    const [written] = await stack.db.orm.em.fork().getConnection().execute(`select count(*)::int as rows, sum(count)::int as calls from usage_event where license_id = ?`, [license.id]);
    expect(written).toEqual({ rows: 100, calls: 101 });
  });
});
