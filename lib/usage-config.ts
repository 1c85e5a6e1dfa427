import type { RawConfig } from './config.ts';

/** Usage capture (domain/usage/) and abuse detection (domain/abuse/), as configured. */
export interface UsageConfig {
  /** USAGE_CAPTURE: record every client call (default on). */
  capture: boolean;
  /** USAGE_FLUSH_INTERVAL in ms: how often the API writes its aggregate, and so what a crash can lose at most. */
  flushIntervalMs: number;
  /** USAGE_BUFFER_MAX: distinct rows an API replica holds between flushes; calls beyond are dropped and counted. */
  bufferMax: number;
  /** USAGE_RAW_RETENTION_DAYS: days of raw events kept (daily roll-ups are kept for good). */
  rawRetentionDays: number;
  /** USAGE_MAINTENANCE_EVERY: how often partitions are created and dropped and roll-ups refreshed (Temporal duration). */
  maintenanceEvery: string;
  /** USAGE_GEOIP_DB: another country database (.mmdb); default the one shipped in @ip-location-db/geo-whois-asn-country-mmdb. */
  geoipDb?: string;
  /** ABUSE_CHECK_EVERY: how often the abuse checks run (Temporal duration), or null when off. */
  abuseCheckEvery: string | null;
}

export function readUsage(raw: RawConfig, flushIntervalMs: number): UsageConfig {
  return {
    capture: raw.USAGE_CAPTURE,
    flushIntervalMs,
    bufferMax: raw.USAGE_BUFFER_MAX,
    rawRetentionDays: raw.USAGE_RAW_RETENTION_DAYS,
    maintenanceEvery: raw.USAGE_MAINTENANCE_EVERY,
    geoipDb: raw.USAGE_GEOIP_DB,
    abuseCheckEvery: raw.ABUSE_CHECK_EVERY === 'off' ? null : raw.ABUSE_CHECK_EVERY,
  };
}
