import type { PreparedQuery } from '../../lib/hot-path-db.ts';
import { HotPathDb } from '../../lib/hot-path-db.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { validateLicense, type ValidationResult } from '../../api/validation/validate-license.ts';
import { generateLicenseKey } from '../../lib/license-key.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { testLogger } from '../support/temporal.ts';

/** The hot path's Postgres access, counting license reads and able to hold the next one back. */
class CountingDb {
  readonly db: HotPathDb;
  snapshotReads = 0;
  /** License reads Postgres has answered (a held answer counts: the read itself is done). */
  snapshotsRead = 0;
  #hold?: Promise<void>;

  constructor(inner: HotPathDb) {
    this.db = Object.create(inner) as HotPathDb;
    this.db.rows = async <R,>(query: PreparedQuery, values: unknown[]): Promise<R[]> => {
      if (query.name === 'kw_license_snapshot') {
        this.snapshotReads += 1;
        const hold = this.#hold;
        this.#hold = undefined;
        const rows = await inner.rows<R>(query, values);
        this.snapshotsRead += 1;
        // The read has happened; its answer is held back until released.
        if (hold) await hold;
        return rows;
      }
      return inner.rows<R>(query, values);
    };
  }

  /** Holds the next license read's answer until the returned function is called. */
  holdNextRead(): () => void {
    let release!: () => void;
    this.#hold = new Promise<void>((resolve) => (release = resolve));
    return release;
  }
}

const settled = (result: ValidationResult | Promise<ValidationResult>) => Promise.resolve(result);

describe('simultaneous validations of an uncached key', () => {
  let stack: ApiStack;
  let cache: LicenseCache;
  let counting: CountingDb;

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
    cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
    await cache.start();
    counting = new CountingDb(HotPathDb.fromEntityManager(stack.db.orm.em));
  });
  afterAll(async () => {
    await cache?.close();
    await stack?.close();
  });

  const validate = (key: string) => settled(validateLicense({ cache, db: counting.db }, { key }, '203.0.113.7', stack.secret.lookupHash(key)));

  it('share one Postgres read', async () => {
    const { key } = await createLicense(stack);
    const before = counting.snapshotReads;
    const answers = await Promise.all(Array.from({ length: 25 }, () => validate(key)));
    expect(answers.map((answer) => answer.code)).toEqual(Array(25).fill('VALID'));
    expect(counting.snapshotReads - before).toBe(1);
    // And the result was cached: the next validation reads nothing.
    expect((await validate(key)).code).toBe('VALID');
    expect(counting.snapshotReads - before).toBe(1);
  });

  it('share one read for an unknown key too', async () => {
    const key = generateLicenseKey();
    const before = counting.snapshotReads;
    const answers = await Promise.all(Array.from({ length: 10 }, () => validate(key)));
    expect(answers.map((answer) => answer.code)).toEqual(Array(10).fill('NOT_FOUND'));
    expect(counting.snapshotReads - before).toBe(1);
  });

  it('never hand a request that arrives after a revocation the read started before it', async () => {
    const { id, key } = await createLicense(stack);
    const release = counting.holdNextRead();
    const before = counting.snapshotReads;
    const answered = counting.snapshotsRead;
    // The first validation's read sees the license still valid, and is held.
    const early = validate(key);
    await eventually(async () => (counting.snapshotsRead > answered ? true : undefined), { what: 'Postgres to answer the first read' });
    // The revocation commits, and this replica hears of it (as LISTEN delivers a NOTIFY: the invalidation itself).
    await stack.db.orm.em.fork().getConnection().execute(`update license set status = 'REVOKED' where id = ?`, [id]);
    cache.invalidate(id);
    // Arrives while the first read is still under way, after the change.
    const late = validate(key);
    release();
    expect((await early).code).toBe('VALID');
    expect((await late).code).toBe('REVOKED');
    expect(counting.snapshotReads - before).toBe(2);
  });

  it('read on their own while the cache is off', async () => {
    const { key } = await createLicense(stack);
    const off = new LicenseCache({ logger: testLogger });
    await off.start();
    const before = counting.snapshotReads;
    const answers = await Promise.all(Array.from({ length: 5 }, () => settled(validateLicense({ cache: off, db: counting.db }, { key }, undefined, stack.secret.lookupHash(key)))));
    expect(answers.map((answer) => answer.code)).toEqual(Array(5).fill('VALID'));
    expect(counting.snapshotReads - before).toBe(5);
  });
});
