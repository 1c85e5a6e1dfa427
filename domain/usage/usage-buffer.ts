import type { UsageEventKind } from '../../schema/usage/usage-event.entity.ts';

/** One client call as the hot path hands it over: plain strings, nothing parsed or looked up yet. */
export interface UsageCall {
  kind: UsageEventKind;
  code: string;
  licenseId: string | undefined;
  /** The key's lookup hash, when the call's answer did not name the license (seat calls): resolved at flush time. */
  keyHash?: string;
  ip: string | undefined;
  /** The request's Origin header, or else its Referer (the raw value: the host is taken at flush time). */
  origin: string | undefined;
  domain: string | undefined;
  fingerprint: string | undefined;
  /** The raw `Keywarden-Client` header (`<sdk name>/<version>`). */
  client: string | undefined;
}

/** Identical calls of one flush interval: the first one's time and how many there were. */
export interface AggregatedCall extends UsageCall {
  firstAt: number;
  count: number;
}

/** Headers longer than this are cut before they become part of an aggregation key. */
const MAX_HEADER = 512;

/**
 * The in-memory aggregate between two flushes: identical calls (same license, kind, code,
 * address, origin, domain, fingerprint and SDK) become one row with a count. It holds at most
 * `max` distinct rows: a flood of distinct calls (one key from a million addresses) cannot grow
 * memory without bound; calls that would add a row beyond the cap are dropped and counted
 * (`dropped`, exported as keywarden_usage_events_dropped_total). Calls that match a row
 * already held are still counted.
 */
export class UsageBuffer {
  #rows = new Map<string, AggregatedCall>();
  #dropped = 0;
  readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  /** Calls dropped at the cap since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Distinct rows held now. */
  get size(): number {
    return this.#rows.size;
  }

  /** One map look-up and, for a new combination, one object: what the hot path pays. */
  add(call: UsageCall, now: number, count = 1): void {
    const origin = call.origin && call.origin.length > MAX_HEADER ? call.origin.slice(0, MAX_HEADER) : call.origin;
    const client = call.client && call.client.length > MAX_HEADER ? call.client.slice(0, MAX_HEADER) : call.client;
    // NUL never occurs in these values: the body's strings refuse it (lib/text.ts) and HTTP headers cannot carry it.
    const key = `${call.licenseId ?? call.keyHash}\0${call.kind}\0${call.code}\0${call.ip}\0${origin}\0${call.domain}\0${call.fingerprint}\0${client}`;
    const row = this.#rows.get(key);
    if (row) {
      row.count += count;
      return;
    }
    if (this.#rows.size >= this.max) {
      this.#dropped += count;
      return;
    }
    this.#rows.set(key, { ...call, origin, client, firstAt: now, count });
  }

  /** Hands over every row held and starts empty. */
  take(): AggregatedCall[] {
    const rows = [...this.#rows.values()];
    this.#rows = new Map();
    return rows;
  }

  /** Puts back rows a failed flush could not write (subject to the cap, like new calls). */
  restore(rows: AggregatedCall[]): void {
    for (const row of rows) this.add(row, row.firstAt, row.count);
  }
}
