/**
 * Dates and numbers for people: times in the viewer's own time zone (the browser's), with the
 * UTC form beside them for hover titles; relative phrases for what is near.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const toDate = (value: string | Date) => (typeof value === 'string' ? new Date(value) : value);

/** `7 Dec 2026, 14:05` in the viewer's zone. */
export const formatDateTime = (value: string | Date) => dateTime.format(toDate(value));

/** `7 Dec 2026` in the viewer's zone. */
export const formatDate = (value: string | Date) => dateOnly.format(toDate(value));

/** `2026-12-07 13:05:00 UTC`: what a hover title shows. */
export const formatUtc = (value: string | Date) => `${toDate(value).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** `in 3 days`, `2 hours ago`, `now`. */
export function formatRelative(value: string | Date, now: Date = new Date()): string {
  const delta = toDate(value).getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  }
  return relative.format(0, 'minute');
}

export const formatNumber = (value: number) => integer.format(value);

/** `1 seat`, `3 seats`. */
export const plural = (count: number, one: string, many = `${one}s`) => `${formatNumber(count)} ${count === 1 ? one : many}`;

/** A constant-case code as words: `PAST_DUE` → `Past due`. */
export const humanize = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');
