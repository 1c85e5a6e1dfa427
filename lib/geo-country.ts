import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type CountryResponse } from 'mmdb-lib';

/** The country database shipped in the npm package @ip-location-db/geo-whois-asn-country-mmdb (IPv4 and IPv6). */
export function defaultCountryDatabase(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

/** The two record shapes we read: ip-location-db's `{ country_code }` and MaxMind GeoLite2/GeoIP2 Country's `{ country: { iso_code } }`. */
interface CountryRecord {
  country_code?: string;
  country?: { iso_code?: string };
}

/**
 * Maps an address to its ISO 3166-1 alpha-2 country from an offline MaxMind DB file, read once
 * into memory (mmdb-lib): no network look-up, ever. USAGE_GEOIP_DB may name another file of
 * either supported shape (a newer ip-location-db release, MaxMind GeoLite2-Country).
 */
export class GeoCountry {
  readonly #reader: Reader<CountryResponse>;
  readonly path: string;

  constructor(file = defaultCountryDatabase()) {
    this.path = file;
    this.#reader = new Reader<CountryResponse>(readFileSync(file));
  }

  /** The country of an address, or null (private and reserved ranges, no data, not an address). */
  countryOf(ip: string): string | null {
    let record: CountryRecord | null;
    try {
      record = this.#reader.get(ip) as CountryRecord | null;
    } catch {
      return null;
    }
    const code = record?.country_code ?? record?.country?.iso_code;
    return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null;
  }
}
