import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseCorsOrigins, parseTrustProxy, type CorsOrigins, type TrustProxy } from './http-edge-settings.ts';
import { readIdentity, type IdentityConfig } from './identity-config.ts';
import { DEFAULT_PROVIDER_RATE_LIMITS, readOutreach, type OutreachConfig } from './outreach-config.ts';
import { DEFAULT_WORKER_TUNING, type WorkerTuning } from './worker-tuning.ts';
import { readUsage, type UsageConfig } from './usage-config.ts';

/**
 * Every environment variable Keywarden reads, parsed once at start-up.
 * Nothing else in the code base touches `process.env`.
 */
const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: optionalString,
  KEYWARDEN_DATA_DIR: z.string().default('.data'),
  KEYWARDEN_SECRET: optionalString,
  ADMIN_TOKEN: optionalString,
  DATABASE_URL: optionalString,
  EMBEDDED_POSTGRES_PORT: port.default(5432),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('keywarden-licenses'),
  /** The deadline of each call to Temporal: `5s`, `1500ms`, `1m`. */
  TEMPORAL_CALL_TIMEOUT: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]*(ms|s|m)$/, 'a duration such as 5s, 1500ms or 1m')
    .default('5s'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: z.stringbool().default(false),
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  KEYWARDEN_TOOLS_DIR: z.string().default('.tools'),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /** The per-key ceiling, over every address: several times the per key and address limit, so no one client can exhaust a key. */
  RATE_LIMIT_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  RATE_LIMIT_KEY_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_UNKNOWN_KEYS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  VALIDATION_CACHE_MAX: z.coerce.number().int().min(0).default(100_000),
  /** Reverse proxies whose X-Forwarded-For is believed (lib/http-edge-settings.ts); empty: none. */
  TRUST_PROXY: z.string().default(''),
  /** Origins allowed to call the client endpoints from a browser; `*`: any. */
  CLIENT_CORS_ORIGINS: z.string().default('*'),
  /** How long a cached validation may still answer, after it was last known fresh, while Postgres is unreachable (0: never). */
  VALIDATION_STALE_ON_ERROR_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Serve GET /metrics without a token (default: an admin token with `licenses:read`). */
  METRICS_PUBLIC: z.stringbool().default(false),
  /** Licenses per second a bulk operation changes (each through its license's workflow). */
  BULK_OPERATION_RATE: z.coerce.number().int().min(1).max(1000).default(20),
  /** How often the drift-repair schedule runs (`30m`, `1h`, `1d`), or `off`. */
  LICENSE_RECONCILE_EVERY: z
    .string()
    .trim()
    .regex(/^(off|[1-9][0-9]*(m|h|d))$/, 'a duration such as 30m, 1h or 1d, or off')
    .default('1h'),
  CUSTOMERIO_SITE_ID: optionalString,
  CUSTOMERIO_TRACK_API_KEY: optionalString,
  CUSTOMERIO_APP_API_KEY: optionalString,
  CUSTOMERIO_REGION: z.enum(['us', 'eu']).default('us'),
  CUSTOMERIO_TRACK_URL: optionalString,
  CUSTOMERIO_API_URL: optionalString,
  CUSTOMERIO_LICENSE_ISSUED_MESSAGE_ID: optionalString,
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_BASE_URL: optionalString,
  HUBSPOT_CRM_TIERS: z.string().default('enterprise'),
  HUBSPOT_DEFAULT_OWNER_ID: optionalString,
  RENEWAL_URL_TEMPLATE: optionalString,
  OUTREACH_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Requests per second Keywarden sends to each Customer.io API (Track, and transactional email): Customer.io allows 100. */
  CUSTOMERIO_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(10_000).default(DEFAULT_PROVIDER_RATE_LIMITS.customerio),
  /** Requests per second Keywarden sends to HubSpot: private apps get 100 (190 on Pro and Enterprise) per 10 seconds. */
  HUBSPOT_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000).default(DEFAULT_PROVIDER_RATE_LIMITS.hubspot),
  /** Workflows the worker keeps in memory between tasks (the rest replay their history when they wake). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_WORKER_TUNING.maxCachedWorkflows),
  /** Activities (Postgres writes, provider calls) one worker runs at once. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_WORKER_TUNING.maxConcurrentActivities),
  /** Workflow tasks one worker runs at once. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).default(DEFAULT_WORKER_TUNING.maxConcurrentWorkflowTasks),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STRIPE_RECONCILE_CRON: z.string().trim().default('17 3 * * *'),
  /** How many days back the nightly Stripe pass looks for checkouts, refunds and disputes whose webhooks never arrived. */
  STRIPE_RECONCILE_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  STRIPE_MOCK_PATH: optionalString,
  // Staff identity (lib/identity-config.ts).
  STAFF_SESSION_IDLE_TIMEOUT: z.string().trim().regex(/^[1-9][0-9]*(s|m|h|d)$/, 'a duration such as 30m').default('30m'),
  STAFF_SESSION_MAX_AGE: z.string().trim().regex(/^[1-9][0-9]*(s|m|h|d)$/, 'a duration such as 12h').default('12h'),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10_000).default(20),
  SIGN_IN_LOCKOUT: z.string().trim().regex(/^[1-9][0-9]*(s|m|h|d)$/, 'a duration such as 15m').default('15m'),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  CUSTOMERIO_STAFF_INVITATION_MESSAGE_ID: optionalString,
  CUSTOMERIO_PASSWORD_RESET_MESSAGE_ID: optionalString,
  // The customer portal's sign-in links (lib/identity-config.ts).
  CUSTOMERIO_PORTAL_SIGN_IN_MESSAGE_ID: optionalString,
  OIDC_ISSUER: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_ROLE_MAPPING: optionalString,
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default('groups'),
  OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
  // Usage capture and abuse detection (lib/usage-config.ts).
  USAGE_CAPTURE: z.stringbool().default(true),
  USAGE_FLUSH_INTERVAL: z.string().trim().regex(/^[1-9][0-9]*(ms|s|m)$/, 'a duration such as 2s, 500ms or 1m').default('2s'),
  USAGE_BUFFER_MAX: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  USAGE_MAINTENANCE_EVERY: z.string().trim().regex(/^[1-9][0-9]*(m|h)$/, 'a duration such as 30m or 1h').default('1h'),
  USAGE_GEOIP_DB: optionalString,
  ABUSE_CHECK_EVERY: z.string().trim().regex(/^(off|[1-9][0-9]*(m|h))$/, 'a duration such as 15m or 1h, or off').default('15m'),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface TemporalTlsConfig {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface Config {
  env: RawConfig['NODE_ENV'];
  logLevel: RawConfig['LOG_LEVEL'];
  http: { host: string; port: number; publicUrl: string };
  dataDir: string;
  toolsDir: string;
  /** Base64 server secret; when absent the embedded setup keeps one in the data folder. */
  secret?: string;
  adminToken?: string;
  database: { url?: string; embeddedPort: number; poolMax: number };
  rateLimits: { perIpPerMinute: number; perKeyPerMinute: number; perKeyIpPerMinute: number; unknownKeysPerIpPerMinute: number };
  /** Proxies trusted to name the client (X-Forwarded-For); undefined: none, the socket's peer is the client. */
  trustProxy?: TrustProxy;
  /** Origins whose pages may read the client endpoints' answers (CORS). */
  clientCorsOrigins: CorsOrigins;
  validationCacheMax: number;
  /** Seconds a cached validation keeps answering while Postgres is unreachable, counted from when it was last known fresh. */
  validationStaleOnErrorSeconds: number;
  /** GET /metrics without a token; false: an admin token with `licenses:read` is required. */
  metricsPublic: boolean;
  /** Licenses per second a bulk operation changes (BULK_OPERATION_RATE). */
  bulkRatePerSecond: number;
  /** Drift repair interval (Temporal duration), or null when switched off. */
  reconcileEvery: string | null;
  /** How much of a workflow worker's memory and concurrency is spent, on purpose (see worker/worker-tuning.ts). */
  worker: WorkerTuning;
  outreach: OutreachConfig;
  identity: IdentityConfig;
  usage: UsageConfig;
  /** Absent when Stripe is not configured: the webhook answers STRIPE_NOT_CONFIGURED, no schedule. */
  stripe?: StripeSettings;
  /** A stripe-mock binary for the tests (`npm run tools` builds one into the tools folder). */
  stripeMockPath?: string;
  temporal: {
    /** Undefined means: run the Temporal CLI dev server from the data folder. */
    address?: string;
    namespace: string;
    taskQueue: string;
    /** The deadline of each call to Temporal, in ms (TEMPORAL_CALL_TIMEOUT). */
    callTimeoutMs: number;
    apiKey?: string;
    tls?: TemporalTlsConfig;
    devPort: number;
    uiPort: number;
    uiUrl?: string;
    cliPath?: string;
    testServerPath?: string;
  };
}

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Another API base URL (stripe-mock in tests); default Stripe's own. */
  apiBase?: string;
  /** When the nightly reconciliation runs (cron, UTC). */
  reconcileCron: string;
  /** How far back (days) it looks for missed checkouts, refunds and disputes; default 7. */
  reconcileLookbackDays?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function readTls(raw: RawConfig): TemporalTlsConfig | undefined {
  const wantsTls = raw.TEMPORAL_TLS || raw.TEMPORAL_TLS_CERT_PATH || raw.TEMPORAL_TLS_CA_PATH;
  if (!wantsTls) return undefined;
  if (Boolean(raw.TEMPORAL_TLS_CERT_PATH) !== Boolean(raw.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  const read = (file: string) => {
    if (!existsSync(file)) throw new ConfigError(`TLS file not found: ${file}`);
    return readFileSync(file);
  };
  return {
    serverNameOverride: raw.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: raw.TEMPORAL_TLS_CA_PATH ? read(raw.TEMPORAL_TLS_CA_PATH) : undefined,
    clientCertPair:
      raw.TEMPORAL_TLS_CERT_PATH && raw.TEMPORAL_TLS_KEY_PATH
        ? { crt: read(raw.TEMPORAL_TLS_CERT_PATH), key: read(raw.TEMPORAL_TLS_KEY_PATH) }
        : undefined,
  };
}

/** `5s`, `1500ms`, `1m` (as TEMPORAL_CALL_TIMEOUT's schema admits them) in milliseconds. */
function durationMs(duration: string): number {
  const [, amount, unit] = /^([0-9]+)(ms|s|m)$/.exec(duration)!;
  return Number(amount) * { ms: 1, s: 1000, m: 60_000 }[unit as 'ms' | 's' | 'm'];
}

function identityOrConfigError(raw: RawConfig, publicUrl: string): IdentityConfig {
  try {
    return readIdentity(raw, publicUrl);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** Parses the environment (or a given record, for tests) into a typed, validated config. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const raw = parsed.data;
  if (raw.KEYWARDEN_SECRET && Buffer.from(raw.KEYWARDEN_SECRET, 'base64').length < 32) {
    throw new ConfigError('KEYWARDEN_SECRET must be at least 32 bytes, base64-encoded (openssl rand -base64 32)');
  }
  if (raw.ADMIN_TOKEN && raw.ADMIN_TOKEN.length < 24) {
    throw new ConfigError('ADMIN_TOKEN must be at least 24 characters long');
  }
  if (Boolean(raw.STRIPE_SECRET_KEY) !== Boolean(raw.STRIPE_WEBHOOK_SECRET)) {
    const [set, missing] = raw.STRIPE_SECRET_KEY ? ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] : ['STRIPE_WEBHOOK_SECRET', 'STRIPE_SECRET_KEY'];
    throw new ConfigError(`${set} is set but ${missing} is not: Stripe needs both (the API key and the webhook endpoint's signing secret, from the Stripe dashboard); set ${missing}, or unset ${set} to run without Stripe`);
  }
  const trustProxy = parseTrustProxy(raw.TRUST_PROXY);
  if (trustProxy && 'error' in trustProxy) throw new ConfigError(trustProxy.error);
  const clientCorsOrigins = parseCorsOrigins(raw.CLIENT_CORS_ORIGINS);
  if (!Array.isArray(clientCorsOrigins) && clientCorsOrigins !== '*') throw new ConfigError(clientCorsOrigins.error);
  const publicHost = raw.HOST === '0.0.0.0' || raw.HOST === '::' ? 'localhost' : raw.HOST;
  return {
    env: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    http: { host: raw.HOST, port: raw.PORT, publicUrl: raw.PUBLIC_URL ?? `http://${publicHost}:${raw.PORT}` },
    dataDir: path.resolve(raw.KEYWARDEN_DATA_DIR),
    toolsDir: path.resolve(raw.KEYWARDEN_TOOLS_DIR),
    secret: raw.KEYWARDEN_SECRET,
    adminToken: raw.ADMIN_TOKEN,
    database: { url: raw.DATABASE_URL, embeddedPort: raw.EMBEDDED_POSTGRES_PORT, poolMax: raw.DATABASE_POOL_MAX },
    rateLimits: {
      perIpPerMinute: raw.RATE_LIMIT_IP_PER_MINUTE,
      perKeyPerMinute: raw.RATE_LIMIT_KEY_PER_MINUTE,
      perKeyIpPerMinute: raw.RATE_LIMIT_KEY_IP_PER_MINUTE,
      unknownKeysPerIpPerMinute: raw.RATE_LIMIT_UNKNOWN_KEYS_PER_IP_PER_MINUTE,
    },
    validationCacheMax: raw.VALIDATION_CACHE_MAX,
    trustProxy,
    clientCorsOrigins,
    validationStaleOnErrorSeconds: raw.VALIDATION_STALE_ON_ERROR_SECONDS,
    metricsPublic: raw.METRICS_PUBLIC,
    bulkRatePerSecond: raw.BULK_OPERATION_RATE,
    reconcileEvery: raw.LICENSE_RECONCILE_EVERY === 'off' ? null : raw.LICENSE_RECONCILE_EVERY,
    worker: {
      maxCachedWorkflows: raw.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: raw.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: raw.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    },
    outreach: readOutreach(raw, raw.PUBLIC_URL ?? `http://${publicHost}:${raw.PORT}`),
    identity: identityOrConfigError(raw, raw.PUBLIC_URL ?? `http://${publicHost}:${raw.PORT}`),
    usage: readUsage(raw, durationMs(raw.USAGE_FLUSH_INTERVAL)),
    stripe:
      raw.STRIPE_SECRET_KEY && raw.STRIPE_WEBHOOK_SECRET
        ? { secretKey: raw.STRIPE_SECRET_KEY, webhookSecret: raw.STRIPE_WEBHOOK_SECRET, apiBase: raw.STRIPE_API_BASE, reconcileCron: raw.STRIPE_RECONCILE_CRON, reconcileLookbackDays: raw.STRIPE_RECONCILE_LOOKBACK_DAYS }
        : undefined,
    stripeMockPath: raw.STRIPE_MOCK_PATH,
    temporal: {
      address: raw.TEMPORAL_ADDRESS,
      namespace: raw.TEMPORAL_NAMESPACE,
      taskQueue: raw.TEMPORAL_TASK_QUEUE,
      callTimeoutMs: durationMs(raw.TEMPORAL_CALL_TIMEOUT),
      apiKey: raw.TEMPORAL_API_KEY,
      tls: readTls(raw),
      devPort: raw.TEMPORAL_DEV_PORT,
      uiPort: raw.TEMPORAL_UI_PORT,
      uiUrl: raw.TEMPORAL_UI_URL,
      cliPath: raw.TEMPORAL_CLI_PATH,
      testServerPath: raw.TEMPORAL_TEST_SERVER_PATH,
    },
  };
}
