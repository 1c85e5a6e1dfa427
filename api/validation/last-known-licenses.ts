import { LRUCache } from 'lru-cache';
import type { CachedLicense } from './license-cache.ts';

interface LastKnown {
  entry: CachedLicense;
  /** When the entry was last known to match Postgres (epoch ms): the stale window counts from here. */
  freshAt: number;
  /** The validation cache's clock tick it was read (or kept) at: a later invalidation of its license retires it. */
  readAt: number;
}

/**
 * The validation cache's second generation: each license's last known state, kept for answering
 * while Postgres cannot be read, for `windowMs` (VALIDATION_STALE_ON_ERROR_SECONDS) after it was
 * last known fresh. LicenseCache decides what goes in and what is retired.
 */
export class LastKnownLicenses {
  readonly #known: LRUCache<string, LastKnown>;
  readonly #windowMs: number;

  constructor(options: { max: number; windowMs: number }) {
    this.#known = new LRUCache({ max: Math.max(1, options.max) });
    this.#windowMs = options.windowMs;
  }

  keep(keyHash: string, entry: CachedLicense, freshAt: number, readAt: number): void {
    this.#known.set(keyHash, { entry, freshAt, readAt });
  }

  /** The entry, unless it is older than the window or `retired` says its license changed since it was read. */
  find(keyHash: string, nowMs: number, retired: (licenseId: string, readAt: number) => boolean): CachedLicense | undefined {
    const known = this.#known.get(keyHash);
    if (!known || nowMs - known.freshAt > this.#windowMs || retired(known.entry.snapshot.id, known.readAt)) return undefined;
    return known.entry;
  }

  clear(): void {
    this.#known.clear();
  }
}
