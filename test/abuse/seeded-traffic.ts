import type { EntityManager } from '@mikro-orm/postgresql';
import { GeoCountry } from '../../lib/geo-country.ts';
import type { AggregatedCall } from '../../domain/usage/usage-buffer.ts';
import { writeUsageEvents } from '../../domain/usage/write-usage-events.ts';

const geo = new GeoCountry();

/** Public addresses from the shipped country database: the first one found in each country, and many in one. */
export function addressesByCountry(wantCountries: number, manyIn: string, many: number): { perCountry: Map<string, string>; inOne: string[] } {
  const perCountry = new Map<string, string>();
  const inOne: string[] = [];
  for (let b = 0; b < 256 && (perCountry.size < wantCountries || inOne.length < many); b += 1) {
    for (let a = 1; a < 224; a += 1) {
      if (a === 10 || a === 127 || a === 100 || a === 169 || a === 172 || a === 192) continue;
      for (const c of [0, 64, 128, 192]) {
        const ip = `${a}.${b}.${c}.7`;
        const country = geo.countryOf(ip);
        if (!country) continue;
        if (perCountry.size < wantCountries && !perCountry.has(country)) perCountry.set(country, ip);
        if (country === manyIn && inOne.length < many) inOne.push(ip);
      }
    }
  }
  if (perCountry.size < wantCountries || inOne.length < many) throw new Error('the country database has too few addresses for the seeded traffic');
  return { perCountry, inOne };
}

/** Writes seeded calls as the API's recorder would (same statement, countries from the same database). */
export function seed(em: EntityManager, calls: AggregatedCall[]) {
  return writeUsageEvents(em.fork(), calls, (ip) => geo.countryOf(ip));
}

export const usageCall = (licenseId: string, at: number, overrides: Partial<AggregatedCall> = {}): AggregatedCall => ({
  kind: 'validation', code: 'VALID', licenseId, ip: undefined, origin: undefined, domain: undefined, fingerprint: undefined, client: '@keywarden/client/0.1.0',
  firstAt: at, count: 1, ...overrides,
});
