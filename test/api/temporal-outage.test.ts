import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { License, AuditEvent, OutboxMessage } from '../../schema/entities.ts';
import { freePort } from '../../lib/ports.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../lib/temporal-dev-server.ts';
import { DEFAULT_TEMPORAL_CALL_TIMEOUT_MS } from '../../temporal/lifecycle-client.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense, createPlan } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';

/** TEMPORAL_CALL_TIMEOUT for this stack: the production default. */
const CALL_TIMEOUT_MS = DEFAULT_TEMPORAL_CALL_TIMEOUT_MS;
/** What a loaded machine may add to the deadline before the answer is sent. */
const SLACK_MS = 3_000;

/**
 * Temporal stopped and started again under a running API: every route that calls it answers 503
 * LIFECYCLE_UNAVAILABLE with Retry-After within the call deadline (no 500, no 20 s wait), nothing
 * is half-written, validation keeps answering from Postgres, and service comes back by itself.
 */
describe('a Temporal outage (its own dev server, stopped and restarted)', () => {
  let dev: RunningDevServer;
  let stack: ApiStack;
  let port: number;
  let dataDir: string;
  const cliPath = process.env.TEST_TEMPORAL_CLI_PATH ?? '';

  const startDev = () => startTemporalDevServer({ cliPath, dataDir, port, uiPort: 0, namespace: 'default', headless: true });

  beforeAll(async () => {
    if (!cliPath) throw new Error('TEST_TEMPORAL_CLI_PATH is not set: run the tests through jest (global setup)');
    port = await freePort();
    dataDir = mkdtempSync(path.join(process.env.TEST_ROOT ?? '/tmp', 'temporal-outage-'));
    dev = await startDev();
    stack = await startApiStack({ temporalAddress: dev.address, temporalCallTimeoutMs: CALL_TIMEOUT_MS });
  });
  afterAll(async () => {
    await stack?.close();
    await dev?.stop();
  });

  it('answers 503 LIFECYCLE_UNAVAILABLE with Retry-After on every route that calls Temporal, writes nothing, and recovers', async () => {
    const { id, key, plan } = await createLicense(stack);
    const other = await createPlan(stack);
    const count = async () => ({
      licenses: await stack.db.orm.em.fork().count(License, {}),
      audit: await stack.db.orm.em.fork().count(AuditEvent, {}),
      outbox: await stack.db.orm.em.fork().count(OutboxMessage, {}),
    });
    const before = await count();

    await dev.stop();

    const routes: Array<[string, string, unknown]> = [
      ['POST', '/v1/licenses', { plan_id: plan.id, customer: { email: 'outage@example.com' } }],
      ['POST', `/v1/licenses/${id}/revoke`, { reason: 'chargeback' }],
      ['GET', `/v1/licenses/${id}/timeline`, undefined],
      ['POST', `/v1/licenses/${id}/suspend`, { reason: 'investigation' }],
      ['POST', `/v1/licenses/${id}/reinstate`, { reason: 'cleared' }],
      ['POST', `/v1/licenses/${id}/extend-trial`, { until: '2099-06-01T00:00:00Z', reason: 'more time' }],
      ['POST', `/v1/licenses/${id}/renew`, { until: '2100-01-01T00:00:00Z', reason: 'renewal' }],
      ['POST', `/v1/licenses/${id}/set-expiry`, { expires_at: '2100-01-01T00:00:00Z', reason: 'correction' }],
      ['POST', `/v1/licenses/${id}/change-plan`, { plan_id: other.id, reason: 'upgrade' }],
    ];
    for (const [method, route, body] of routes) {
      const started = Date.now();
      const answer = await stack.request(method, route, { body });
      const elapsed = Date.now() - started;
      expect({ route, status: answer.status, code: answer.body?.code }).toEqual({ route, status: 503, code: 'LIFECYCLE_UNAVAILABLE' });
      expect({ route, contentType: answer.headers.get('content-type') }).toEqual({ route, contentType: expect.stringContaining('application/problem+json') });
      expect({ route, retryAfter: Number(answer.headers.get('retry-after')) }).toEqual({ route, retryAfter: expect.any(Number) });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect({ route, inTime: elapsed < CALL_TIMEOUT_MS + SLACK_MS }).toEqual({ route, inTime: true });
    }

    // Nothing half-written: no license, audit event or message from the refused calls.
    expect(await count()).toEqual(before);
    const row = await stack.db.orm.em.fork().findOneOrFail(License, { id });
    expect({ status: row.status, version: row.version }).toEqual({ status: 'ACTIVE', version: 1 });
    // The hot path never waits on Temporal; readiness says Temporal is down.
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    const ready = await stack.request('GET', '/readyz', { token: null });
    expect(ready).toMatchObject({ status: 503, body: { components: { temporal: { status: 'down' }, postgres: { status: 'up' } } } });

    dev = await startDev();

    // Back by itself: the same calls go through once Temporal answers again.
    await eventually(async () => ((await stack.request('GET', '/readyz', { token: null })).status === 200 ? true : undefined), { timeoutMs: 60_000, what: 'readiness after the restart' });
    // A query needs the worker too: once the timeline answers, the worker polls again.
    await eventually(async () => ((await stack.request('GET', `/v1/licenses/${id}/timeline`)).status === 200 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the license timeline after the restart',
    });
    const revoked = await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'chargeback' } });
    expect(revoked).toMatchObject({ status: 200, body: { status: 'REVOKED' } });
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('REVOKED');
    const created = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: 'after@example.com' } } });
    expect(created.status).toBe(201);
  });
});
