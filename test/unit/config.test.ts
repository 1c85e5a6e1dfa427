import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';

describe('configuration', () => {
  it('has working defaults for a local start', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.uiPort).toBe(8233);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    // The constant the workers and tests without an environment use: what an empty one gives.
    expect(config.outreach).toEqual(OUTREACH_WITHOUT_PROVIDERS);
  });

  it('reads overrides and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '4100', DATABASE_URL: 'postgres://u:p@db/kw', TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: 'prod' });
    expect(config.http.port).toBe(4100);
    expect(config.database.url).toBe('postgres://u:p@db/kw');
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.namespace).toBe('prod');
  });

  it('names every invalid variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/LOG_LEVEL/);
    }
  });

  it('rejects a short server secret or admin token', () => {
    expect(() => loadConfig({ KEYWARDEN_SECRET: randomBytes(8).toString('base64') })).toThrow(/KEYWARDEN_SECRET/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
    expect(loadConfig({ KEYWARDEN_SECRET: randomBytes(32).toString('base64') }).secret).toBeDefined();
  });

  it('requires TLS client certificate and key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/tmp/cert.pem' })).toThrow(/together/);
  });

  it('configures Stripe only with both the secret key and the webhook secret', () => {
    expect(loadConfig({}).stripe).toBeUndefined();
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripe).toEqual({
      secretKey: 'sk_test_1',
      webhookSecret: 'whsec_1',
      apiBase: 'http://127.0.0.1:12111',
      reconcileCron: '17 3 * * *',
      reconcileLookbackDays: 7,
    });
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_BASE: 'not a url' })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_RECONCILE_LOOKBACK_DAYS: '30' }).stripe?.reconcileLookbackDays).toBe(30);
    expect(() => loadConfig({ STRIPE_RECONCILE_LOOKBACK_DAYS: '0' })).toThrow(/STRIPE_RECONCILE_LOOKBACK_DAYS/);
  });

  it('reads the providers\' rate limits and the worker\'s cache and concurrency, with deliberate defaults', () => {
    expect(loadConfig({}).outreach.rateLimits).toEqual({ customerio: 100, hubspot: 10 });
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: 500, maxConcurrentActivities: 50, maxConcurrentWorkflowTasks: 20 });
    const config = loadConfig({ CUSTOMERIO_RATE_LIMIT_PER_SECOND: '40', HUBSPOT_RATE_LIMIT_PER_SECOND: '19', WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_ACTIVITIES: '8', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4' });
    expect(config.outreach.rateLimits).toEqual({ customerio: 40, hubspot: 19 });
    expect(config.worker).toEqual({ maxCachedWorkflows: 0, maxConcurrentActivities: 8, maxConcurrentWorkflowTasks: 4 });
    expect(() => loadConfig({ CUSTOMERIO_RATE_LIMIT_PER_SECOND: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(/CUSTOMERIO_RATE_LIMIT_PER_SECOND[\s\S]*WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
  });

  it('reads the deadline of each Temporal call (TEMPORAL_CALL_TIMEOUT): 5 s by default', () => {
    expect(loadConfig({}).temporal.callTimeoutMs).toBe(5_000);
    expect(loadConfig({ TEMPORAL_CALL_TIMEOUT: '1500ms' }).temporal.callTimeoutMs).toBe(1_500);
    expect(loadConfig({ TEMPORAL_CALL_TIMEOUT: '2m' }).temporal.callTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ TEMPORAL_CALL_TIMEOUT: 'soon' })).toThrow(/TEMPORAL_CALL_TIMEOUT/);
    expect(() => loadConfig({ TEMPORAL_CALL_TIMEOUT: '0s' })).toThrow(/TEMPORAL_CALL_TIMEOUT/);
  });

  it('keeps cached validations answering through a database outage for 300 s by default (VALIDATION_STALE_ON_ERROR_SECONDS)', () => {
    expect(loadConfig({}).validationStaleOnErrorSeconds).toBe(300);
    expect(loadConfig({ VALIDATION_STALE_ON_ERROR_SECONDS: '0' }).validationStaleOnErrorSeconds).toBe(0);
    expect(loadConfig({ VALIDATION_STALE_ON_ERROR_SECONDS: '900' }).validationStaleOnErrorSeconds).toBe(900);
    expect(() => loadConfig({ VALIDATION_STALE_ON_ERROR_SECONDS: '-1' })).toThrow(/VALIDATION_STALE_ON_ERROR_SECONDS/);
  });
});
