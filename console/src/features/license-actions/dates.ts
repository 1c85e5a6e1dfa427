/**
 * The dates license actions take: a day picked in a date field (`2026-09-01`) means the end of
 * that day in UTC, so a license "until 1 September" works through all of 1 September everywhere
 * the API's times are compared.
 */
export const endOfDayUtc = (day: string) => `${day}T23:59:59.000Z`;

/** The UTC day of a time, as a date field shows it. */
export const utcDay = (iso: string | Date) => (typeof iso === 'string' ? new Date(iso) : iso).toISOString().slice(0, 10);

/** `days` after `from` (or after now), as a day. */
export const dayAfter = (days: number, from?: string | null) => utcDay(new Date((from ? Date.parse(from) : Date.now()) + days * 86_400_000));

export const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
