import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { generateApiToken } from '../../api/auth/api-token.service.ts';
import { ApiToken } from '../../schema/auth/api-token.entity.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { eventually } from '../support/poll.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of match[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with that name and (at least) those labels; 0 when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value ?? 0;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const UNKNOWN_KEY = 'KW-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF';

describe('Prometheus metrics (GET /metrics)', () => {
  let stack: ApiStack;
  let license: Awaited<ReturnType<typeof createLicense>>;
  let email: string;

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const response = await stack.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return { text: response.body as string, samples: parseExposition(response.body as string) };
  }

  beforeAll(async () => {
    stack = await startApiStack();
    license = await createLicense(stack, { seat_limit: 1 });
    email = (await stack.request('GET', `/v1/licenses/${license.id}`)).body.customer_email;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('counts validations by code and activations by outcome, exactly', async () => {
    const before = (await scrape()).samples;
    const { key } = license;
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    // Cache hits answered from the memoised JSON, with and without a nonce: their code still counts.
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    expect((await client(stack, '/v1/validate', { key, nonce: 'n-1' })).body.code).toBe('VALID');
    expect((await client(stack, '/v1/validate', { key: UNKNOWN_KEY })).body.code).toBe('NOT_FOUND');
    expect((await client(stack, '/v1/validate', { key: UNKNOWN_KEY })).body.code).toBe('NOT_FOUND');
    expect((await client(stack, '/v1/validate', { key, features: ['sso'] })).body.code).toBe('FEATURES_MISSING');
    expect((await client(stack, '/v1/validate', { key, fingerprint: 'laptop' })).body.code).toBe('NOT_ACTIVATED');
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'laptop' })).status).toBe(201);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'laptop' })).status).toBe(200);
    expect((await client(stack, '/v1/activate', { key, fingerprint: 'desktop' })).body.code).toBe('SEAT_LIMIT_EXCEEDED');
    expect((await client(stack, '/v1/activate', { key: UNKNOWN_KEY, fingerprint: 'laptop' })).status).toBe(404);
    // Malformed: no answer code, so not counted.
    expect((await client(stack, '/v1/validate', { key, surprise: true })).status).toBe(400);
    const after = (await scrape()).samples;

    const moved = (name: string, label: string, value: string) => valueOf(after, name, { [label]: value }) - valueOf(before, name, { [label]: value });
    const validations: Record<string, number> = Object.fromEntries(after.filter((s) => s.name === 'keywarden_validations_total').map((s) => [s.labels.code, moved(s.name, 'code', s.labels.code!)]));
    expect(validations).toEqual({
      VALID: 3,
      NOT_FOUND: 2,
      KEY_ROTATED: 0,
      FEATURES_MISSING: 1,
      NOT_ACTIVATED: 1,
      PAST_DUE: 0,
      IN_GRACE: 0,
      EXPIRED: 0,
      TRIAL_EXPIRED: 0,
      SUSPENDED: 0,
      REVOKED: 0,
      SEAT_LIMIT_EXCEEDED: 0,
      HEARTBEAT_DEAD: 0,
      DOMAIN_MISMATCH: 0,
      IP_NOT_ALLOWED: 0,
    });
    const activations: Record<string, number> = Object.fromEntries(after.filter((s) => s.name === 'keywarden_activations_total').map((s) => [s.labels.outcome, moved(s.name, 'outcome', s.labels.outcome!)]));
    expect(activations).toMatchObject({ created: 1, existing: 1, SEAT_LIMIT_EXCEEDED: 1, NOT_FOUND: 1, REVOKED: 0 });
    expect(Object.values(activations).reduce((sum, n) => sum + n, 0)).toBe(4);
  });

  it('reports the validation cache: entries, and one hit or miss per validation', async () => {
    const { key } = license;
    // Fill the cache (an activation above dropped the entry), then count only what follows.
    await eventually(async () => ((await client(stack, '/v1/validate', { key })).body.code === 'VALID' && stack.cache.get(stack.secret.lookupHash(key)) ? true : undefined));
    const before = (await scrape()).samples;
    await client(stack, '/v1/validate', { key });
    await client(stack, '/v1/validate', { key });
    await client(stack, '/v1/validate', { key: UNKNOWN_KEY });
    const after = (await scrape()).samples;
    const hits = valueOf(after, 'keywarden_validation_cache_hits_total') - valueOf(before, 'keywarden_validation_cache_hits_total');
    const misses = valueOf(after, 'keywarden_validation_cache_misses_total') - valueOf(before, 'keywarden_validation_cache_misses_total');
    expect(hits + misses).toBe(3);
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(misses).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'keywarden_validation_cache_entries')).toBe(stack.cache.size);
    expect(stack.cache.size).toBeGreaterThanOrEqual(1);
  });

  it('times admin requests by route pattern and status, never by raw path, and leaves the hot client routes out', async () => {
    const missing = randomUUID();
    expect((await stack.request('GET', `/v1/licenses/${license.id}`)).status).toBe(200);
    expect((await stack.request('GET', `/v1/licenses/${missing}`)).status).toBe(404);
    expect((await stack.request('GET', `/v1/nope/${missing}`)).status).toBe(404);
    expect((await client(stack, '/v1/deactivate', { key: license.key, fingerprint: 'tablet' })).status).toBe(422);
    const { samples } = await scrape();
    const count = 'keywarden_http_request_duration_seconds_count';
    expect(valueOf(samples, count, { method: 'GET', route: '/v1/licenses/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, count, { method: 'GET', route: '/v1/licenses/:id', status: '404' })).toBe(1);
    expect(valueOf(samples, count, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(valueOf(samples, count, { method: 'POST', route: '/v1/deactivate', status: '422' })).toBe(1);
    expect(valueOf(samples, count, { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
    const routes = new Set(samples.filter((s) => s.name === count).map((s) => s.labels.route));
    for (const hot of ['/v1/validate', '/v1/activate', '/v1/heartbeat']) expect(routes.has(hot)).toBe(false);
    for (const route of routes) expect(route === 'unmatched' || /^\/[\w/:.-]*$/.test(route!) && !UUID.test(route!)).toBe(true);
    const buckets = samples.filter((s) => s.name === 'keywarden_http_request_duration_seconds_bucket' && s.labels.route === '/v1/licenses/:id' && s.labels.status === '404');
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: 1 });
  });

  it('counts outbox messages by status in Postgres on each scrape, and exports the process metrics', async () => {
    // The worker records the license_issued message shortly after creation; the gauge agrees with Postgres.
    const counted = await eventually(async () => {
      const { samples } = await scrape();
      const rows = await stack.db.orm.em.fork().getConnection().execute<{ status: string; count: number }[]>('select status, count(*)::int as count from outbox_message group by status');
      const direct: Record<string, number> = Object.fromEntries(rows.map((row) => [row.status, row.count]));
      const exported: Record<string, number> = Object.fromEntries(samples.filter((s) => s.name === 'keywarden_outbox_messages').map((s) => [s.labels.status, s.value]));
      const total = Object.values(exported).reduce((sum, n) => sum + n, 0);
      return total >= 1 && Object.entries(exported).every(([status, n]) => (direct[status] ?? 0) === n) ? exported : undefined;
    });
    expect(Object.keys(counted).sort()).toEqual(['FAILED', 'NOT_SENT', 'PENDING', 'SENT']);

    const { samples } = await scrape();
    expect(valueOf(samples, 'keywarden_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'keywarden_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'keywarden_nodejs_eventloop_lag_seconds')).toBe(true);
    expect(samples.every((s) => s.name.startsWith('keywarden_'))).toBe(true);
  });

  it('never exposes a key, token, email or id', async () => {
    const { text } = await scrape();
    expect(text).not.toContain(license.key);
    expect(text).not.toContain(UNKNOWN_KEY);
    expect(text).not.toContain(license.id);
    expect(text).not.toContain(stack.adminToken);
    expect(text.toLowerCase()).not.toContain(email.toLowerCase());
    expect(text).not.toContain('@');
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/KWT?-[0-9A-Z]{4}/);
    expect(text).not.toContain('laptop');
  });

  it('needs a token with licenses:read (or admin): 401 without one, 403 without the scope', async () => {
    const anonymous = await stack.request('GET', '/metrics', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await stack.request('GET', '/metrics', { token: 'kwa_not-a-real-token-at-all' })).status).toBe(401);

    const em = stack.db.orm.em.fork();
    const writer = generateApiToken();
    const reader = generateApiToken();
    em.create(ApiToken, { id: randomUUID(), name: 'metrics-writer', tokenHash: stack.secret.lookupHash(writer), scopes: ['licenses:write'] });
    em.create(ApiToken, { id: randomUUID(), name: 'metrics-reader', tokenHash: stack.secret.lookupHash(reader), scopes: ['licenses:read'] });
    await em.flush();
    const forbidden = await stack.request('GET', '/metrics', { token: writer });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    expect((await stack.request('GET', '/metrics', { token: reader })).status).toBe(200);
  });

  it('with METRICS_PUBLIC, serves them without a token; each app has its own registry', async () => {
    const registry = new Registry();
    const replica = await startReplica(stack, { metricsRegistry: registry, metricsPublic: true });
    try {
      const url = replica.url;
      const validated = await fetch(`${url}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: UNKNOWN_KEY }) });
      expect(validated.status).toBe(200);
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      const samples = parseExposition(await response.text());
      // This app's counters only: one validation, whatever the stack's app counted.
      expect(valueOf(samples, 'keywarden_validations_total', { code: 'NOT_FOUND' })).toBe(1);
      expect(valueOf(samples, 'keywarden_validations_total', { code: 'VALID' })).toBe(0);
      expect(await registry.getSingleMetricAsString('keywarden_validations_total')).toContain('code="NOT_FOUND"} 1');
      // The stack's app still asks for a token.
      expect((await stack.request('GET', '/metrics', { token: null })).status).toBe(401);
    } finally {
      await replica.close();
    }
  });
});
