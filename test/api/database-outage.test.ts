import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { ensureBootstrapToken, generateApiToken } from '../../api/auth/api-token.service.ts';
import { startApiServer, type RunningApi } from '../../api/server.ts';
import { SIGNATURE_HEADER } from '../../api/validation/sign-answer.ts';
import { openOrm, migrate, type MikroORM } from '../../schema/orm.ts';
import { startKillablePostgres, type KillablePostgres } from '../support/killable-postgres.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';
import { eventually } from '../support/poll.ts';

type Kind = 'cached' | 'uncached' | 'activate';
interface Outcome {
  kind: Kind;
  startedAt: number;
  endedAt: number;
  status: number;
  code?: string;
  retryAfter: string | null;
  contentType: string | null;
  signed: boolean;
  fingerprint?: string;
}

const CONCURRENCY = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Postgres is killed (SIGKILL to every process of its cluster) while the real API server
 * (startApiServer: its own hot-path pool, the LISTEN cache, the outage tracker) is under load,
 * then started again. The API is never restarted.
 */
describe('Postgres killed under load: honest answers during the outage, nothing acknowledged lost, recovery on its own', () => {
  const secret = testSecret();
  const logLines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  let postgres: KillablePostgres;
  let orm: MikroORM;
  let api: RunningApi;
  let adminToken: string;
  const cachedKeys: string[] = [];
  const uncachedKeys: string[] = [];
  const activationKeys: Array<{ id: string; key: string }> = [];

  beforeAll(async () => {
    postgres = await startKillablePostgres(`kw_outage_${randomBytes(3).toString('hex')}`);
    orm = await openOrm({ url: postgres.url, poolMax: 10 });
    await migrate(orm);
    adminToken = generateApiToken();
    await ensureBootstrapToken(orm.em, secret, adminToken);
    for (let i = 0; i < 10; i += 1) cachedKeys.push((await insertLicense(orm.em, secret)).key);
    for (let i = 0; i < 40; i += 1) uncachedKeys.push((await insertLicense(orm.em, secret)).key);
    for (let i = 0; i < 4; i += 1) {
      const { license, key } = await insertLicense(orm.em, secret, {}, { seatLimit: null });
      activationKeys.push({ id: license.id, key });
    }
    api = await startApiServer({
      em: orm.em,
      databaseUrl: postgres.url,
      rateLimits: { perIpPerMinute: 10_000_000, perKeyPerMinute: 10_000_000, unknownKeysPerIpPerMinute: 10_000_000 },
      cacheMax: 100_000,
      staleOnErrorSeconds: 300,
      secret,
      logger,
      temporal: { address: process.env.TEST_TEMPORAL_ADDRESS!, namespace: 'default' },
      taskQueue: `outage-${randomBytes(3).toString('hex')}`,
      host: '127.0.0.1',
      port: 0,
      metricsPublic: true,
    });
  });
  afterAll(async () => {
    await api?.close();
    await orm?.close(true);
    await postgres?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(api.url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Prometheus text, for /metrics
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  it('keeps cached validations answering VALID (signed), refuses the rest with 503 DATABASE_UNAVAILABLE and Retry-After, loses no acknowledged activation, logs the outage twice, and recovers by itself', async () => {
    // Warm the cache: these keys were validated while Postgres was up.
    for (const key of cachedKeys) expect((await call('POST', '/v1/validate', { key })).body.code).toBe('VALID');

    const outcomes: Outcome[] = [];
    let stop = false;
    let withUncached = false;
    let fingerprints = 0;
    async function worker(id: number) {
      for (let i = 0; !stop; i += 1) {
        const kinds: Kind[] = withUncached ? ['cached', 'activate', 'uncached'] : ['cached', 'activate'];
        const kind = kinds[(i + id) % kinds.length]!;
        const startedAt = Date.now();
        let body: Record<string, unknown>;
        let fingerprint: string | undefined;
        if (kind === 'activate') {
          fingerprint = `machine-${(fingerprints += 1)}`;
          body = { key: activationKeys[fingerprints % activationKeys.length]!.key, fingerprint };
        } else {
          const keys = kind === 'cached' ? cachedKeys : uncachedKeys;
          body = { key: keys[(i * CONCURRENCY + id) % keys.length]! };
        }
        try {
          const response = await call('POST', kind === 'activate' ? '/v1/activate' : '/v1/validate', body);
          outcomes.push({
            kind, startedAt, endedAt: Date.now(), status: response.status, code: response.body?.code, fingerprint,
            retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type'), signed: response.headers.has(SIGNATURE_HEADER),
          });
        } catch (error) {
          outcomes.push({ kind, startedAt, endedAt: Date.now(), status: 0, code: String(error), retryAfter: null, contentType: null, signed: false, fingerprint });
        }
      }
    }
    const load = Array.from({ length: CONCURRENCY }, (_, id) => worker(id));

    await sleep(1_500);
    const killedAt = Date.now();
    postgres.kill();
    withUncached = true;
    // The outage, under load; meanwhile the other routes answer as honestly.
    await eventually(async () => ((await call('GET', '/readyz')).status === 503 ? true : undefined), { what: '/readyz to report the outage' });
    const ready = await call('GET', '/readyz');
    expect(ready.body).toMatchObject({ status: 'not_ready', components: { postgres: { status: 'down', since: expect.any(String) } } });
    const admin = await call('GET', '/v1/licenses', undefined, adminToken);
    expect(admin).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE', status: 503 } });
    expect(admin.headers.get('retry-after')).toBe('5');
    const deactivate = await call('POST', '/v1/deactivate', { key: activationKeys[0]!.key, fingerprint: 'machine-1' });
    expect(deactivate).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE' } });
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/.well-known/jwks.json')).body.keys).toHaveLength(1);
    await sleep(3_000);
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    const staleAnswers = Number(/^keywarden_validation_stale_answers_total (\d+)$/m.exec(metrics.body)?.[1]);
    expect(staleAnswers).toBeGreaterThan(0);

    const restartedAt = Date.now();
    await postgres.restart();
    // Recovery on its own: the API was never restarted. A key never validated before answers
    // from Postgres again, a new machine activates, and the process is ready.
    const fresh = uncachedKeys.at(-1)!;
    await eventually(async () => ((await call('POST', '/v1/validate', { key: fresh })).body.code === 'VALID' ? true : undefined), { what: 'an uncached key to validate again', timeoutMs: 60_000 });
    await eventually(async () => ((await call('POST', '/v1/activate', { key: activationKeys[0]!.key, fingerprint: 'after-the-outage' })).status === 201 ? true : undefined), { what: 'activations to work again', timeoutMs: 60_000 });
    await eventually(async () => ((await call('GET', '/readyz')).status === 200 ? true : undefined), { what: '/readyz to be ready again', timeoutMs: 60_000 });
    await sleep(1_000);
    stop = true;
    await Promise.all(load);

    // Every answer was one of the honest ones: never a 500, never a dropped connection.
    const unexpected = outcomes.filter((o) => !((o.status === 200 || o.status === 201) || (o.status === 503 && o.code === 'DATABASE_UNAVAILABLE')));
    expect(unexpected).toEqual([]);
    // Every validation of a cached key, before, during and after the outage: VALID, signed.
    const cached = outcomes.filter((o) => o.kind === 'cached');
    expect(cached.filter((o) => !(o.status === 200 && o.code === 'VALID' && o.signed))).toEqual([]);
    const during = (o: Outcome) => o.startedAt > killedAt && o.endedAt < restartedAt;
    const cachedDuring = cached.filter(during).length;
    expect(cachedDuring).toBeGreaterThan(0);
    // Keys it had never cached: 503 with a stable code and Retry-After, as problem+json.
    const uncachedDuring = outcomes.filter((o) => o.kind === 'uncached' && during(o));
    expect(uncachedDuring.length).toBeGreaterThan(0);
    for (const o of uncachedDuring) expect(o).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '5', contentType: expect.stringMatching(/^application\/problem\+json/) });
    const activationsDuring = outcomes.filter((o) => o.kind === 'activate' && during(o));
    expect(activationsDuring.every((o) => o.status === 503 && o.retryAfter === '5')).toBe(true);

    // Every acknowledged activation is in Postgres after the crash.
    const acknowledged = outcomes.filter((o) => o.kind === 'activate' && (o.status === 201 || o.status === 200)).map((o) => o.fingerprint!);
    const rows = await orm.em.fork().execute<{ fingerprint: string }[]>(
      `select fingerprint from activation where license_id in (select jsonb_array_elements_text(?::jsonb)::uuid) and fingerprint in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(activationKeys.map((k) => k.id)), JSON.stringify(acknowledged)],
    );
    const stored = new Set(rows.map((r) => r.fingerprint));
    const attempted = (await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from activation where license_id in (select jsonb_array_elements_text(?::jsonb)::uuid) and fingerprint like 'machine-%'`, [JSON.stringify(activationKeys.map((k) => k.id))]))[0]!.n;
    expect(acknowledged.filter((fingerprint) => !stored.has(fingerprint))).toEqual([]);

    // One line when the outage began, one when it ended; nothing per request.
    const messages = (level: number) => logLines.filter((line) => line.level === level).map((line) => line.msg);
    expect(messages(50)).toEqual([expect.stringMatching(/^Postgres is unreachable/)]);
    expect(messages(40)).toEqual([expect.stringMatching(/^validation cache lost its LISTEN connection/)]);
    expect(messages(30).filter((msg) => msg.startsWith('Postgres is reachable again'))).toHaveLength(1);

    const refusedDuring = outcomes.filter((o) => during(o) && o.status === 503).length;
    console.log(
      `Postgres outage under load: ${outcomes.length} requests; during the ${((restartedAt - killedAt) / 1000).toFixed(1)} s outage ${cachedDuring} cached validations answered VALID ` +
        `(${staleAnswers} stale answers counted by then), ${refusedDuring} requests answered 503 DATABASE_UNAVAILABLE; ${acknowledged.length} activations acknowledged, ` +
        `${stored.size} of them found after the restart (${attempted} activation rows in all: a write whose answer the kill cut off may have committed); 0 answers other than 200/201/503.`,
    );
  });
});
