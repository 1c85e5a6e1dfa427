import type { RawConfig } from './config.ts';

/**
 * Where outbound messages go. Without credentials a provider is off: its messages land in the
 * outbox as NOT_SENT, so a local install shows exactly what would go out.
 */
export interface OutreachConfig {
  customerio: {
    /** Track API (identify, events): Basic site id + API key. */
    siteId?: string;
    trackApiKey?: string;
    /** App API (transactional messages): Bearer app key. */
    appApiKey?: string;
    region: 'us' | 'eu';
    /** Overrides of the region's base URLs (a proxy, or a local server in tests). */
    trackUrl?: string;
    apiUrl?: string;
    /** The transactional message that delivers a new license key. */
    licenseIssuedMessageId?: string;
  };
  hubspot: {
    accessToken?: string;
    basePath?: string;
    /** Plan tiers whose renewals the account owner handles in the CRM. */
    crmTiers: string[];
    /** Task owner when the contact or company has none. */
    defaultOwnerId?: string;
  };
  /** `{license_id}` and `{customer_id}` are replaced; default: `<PUBLIC_URL>/renew?license={license_id}`. */
  renewalUrlTemplate: string;
  httpTimeoutMs: number;
  /** Requests per second sent to each provider API, shared by every worker (default DEFAULT_PROVIDER_RATE_LIMITS). */
  rateLimits?: ProviderRateLimits;
}

/** Requests per second: Customer.io's applies to its Track API and to its transactional API, each. */
export interface ProviderRateLimits {
  customerio: number;
  hubspot: number;
}

/** Customer.io allows 100 requests per second per API; HubSpot private apps 100 per 10 seconds (190 on Pro and Enterprise). */
export const DEFAULT_PROVIDER_RATE_LIMITS: ProviderRateLimits = Object.freeze({ customerio: 100, hubspot: 10 });

/**
 * Outreach with no provider configured, as an empty environment gives it (the defaults of
 * loadConfig): every message is recorded NOT_SENT, renewal tasks still for enterprise plans.
 * A constant, not a parse: for workers and tests started without an environment. The
 * service passes its parsed `config.outreach` instead.
 */
export const OUTREACH_WITHOUT_PROVIDERS: OutreachConfig = Object.freeze({
  customerio: Object.freeze({ region: 'us' as const }),
  hubspot: Object.freeze({ crmTiers: Object.freeze(['enterprise']) as string[] }),
  renewalUrlTemplate: 'http://localhost:3000/renew?license={license_id}',
  httpTimeoutMs: 10_000,
  rateLimits: DEFAULT_PROVIDER_RATE_LIMITS,
});

/** The outreach part of the parsed environment (lib/config.ts's loadConfig). */
export function readOutreach(raw: RawConfig, publicUrl: string): OutreachConfig {
  return {
    customerio: {
      siteId: raw.CUSTOMERIO_SITE_ID,
      trackApiKey: raw.CUSTOMERIO_TRACK_API_KEY,
      appApiKey: raw.CUSTOMERIO_APP_API_KEY,
      region: raw.CUSTOMERIO_REGION,
      trackUrl: raw.CUSTOMERIO_TRACK_URL,
      apiUrl: raw.CUSTOMERIO_API_URL,
      licenseIssuedMessageId: raw.CUSTOMERIO_LICENSE_ISSUED_MESSAGE_ID,
    },
    hubspot: {
      accessToken: raw.HUBSPOT_ACCESS_TOKEN,
      basePath: raw.HUBSPOT_BASE_URL,
      crmTiers: raw.HUBSPOT_CRM_TIERS.split(',').map((tier) => tier.trim()).filter(Boolean),
      defaultOwnerId: raw.HUBSPOT_DEFAULT_OWNER_ID,
    },
    renewalUrlTemplate: raw.RENEWAL_URL_TEMPLATE ?? `${publicUrl}/renew?license={license_id}`,
    httpTimeoutMs: raw.OUTREACH_HTTP_TIMEOUT_MS,
    rateLimits: { customerio: raw.CUSTOMERIO_RATE_LIMIT_PER_SECOND, hubspot: raw.HUBSPOT_RATE_LIMIT_PER_SECOND },
  };
}
