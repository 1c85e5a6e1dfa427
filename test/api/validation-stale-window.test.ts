import { pino } from 'pino';
import { HotPathDb } from '../../lib/hot-path-db.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { validateLicense, type ValidateRequest, type ValidationResult } from '../../api/validation/validate-license.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import type { Logger } from '../../lib/logger.ts';
import { freePort } from '../../lib/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';
import { eventually } from '../support/poll.ts';
import { testLogger } from '../support/temporal.ts';

const SECOND = 1000;
const WINDOW = 300 * SECOND;

/**
 * The validation cache's answers while Postgres cannot be read, against the cache's own clock:
 * the reads go either to the test database (Postgres answers) or to a port nobody listens on
 * (Postgres unreachable), and the LISTEN connection is cut by terminating its backend.
 */
describe('cached validations while Postgres is unreachable (VALIDATION_STALE_ON_ERROR_SECONDS)', () => {
  const secret = testSecret();
  let db: TestDatabase;
  let cache: LicenseCache;
  let up: HotPathDb;
  let down: HotPathDb;

  beforeAll(async () => {
    db = await createTestDatabase();
    up = HotPathDb.connect({ url: db.url, max: 2 });
    down = HotPathDb.connect({ url: `postgres://kw:kw@127.0.0.1:${await freePort()}/kw`, max: 2 });
  });
  afterEach(async () => {
    await cache?.close();
  });
  afterAll(async () => {
    await up?.close();
    await down?.close();
    await db?.drop();
  });

  /** The LISTEN connection, once cut, stays down for the test (however slow the machine) unless `listenRetryMs` says otherwise. */
  async function startCache(staleOnErrorMs = WINDOW, listenRetryMs = 10 * 60 * SECOND, logger: Logger = testLogger) {
    cache = new LicenseCache({ url: db.url, logger, staleOnErrorMs, listenRetryMs });
    await cache.start();
    return cache;
  }

  const license = async () => {
    const { license: row, key } = await insertLicense(db.orm.em, secret);
    return { id: row.id, keyHash: secret.lookupHash(key) };
  };

  /** The verdict's code, or the failure's kind when there is no answer. */
  async function verdict(reads: HotPathDb, keyHash: string, at = new Date(), request: Partial<ValidateRequest> = {}): Promise<string> {
    try {
      const result: ValidationResult = await validateLicense({ cache, db: reads }, { key: 'KW-AS-SENT', ...request }, '127.0.0.1', keyHash, at);
      return result.code;
    } catch (error) {
      return isDatabaseUnavailable(error) ? 'DATABASE_UNAVAILABLE' : `failed: ${String(error)}`;
    }
  }

  /** Cuts the cache's LISTEN connection (Postgres stays up) and waits until the cache is bypassed. */
  async function cutListen() {
    await db.orm.em.fork().execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen %'`);
    await eventually(() => (cache.enabled ? undefined : true), { what: 'the cache to notice its LISTEN connection is gone' });
  }

  it('answers a cached license from its last known state for the window after it was last known fresh, then 503', async () => {
    await startCache();
    const cached = await license();
    expect(await verdict(up, cached.keyHash)).toBe('VALID');
    // While LISTEN is up, a cache hit needs no read at all.
    expect(await verdict(down, cached.keyHash)).toBe('VALID');

    // The entry is fresh until the cache noticed the loss: some time between these two.
    const before = Date.now();
    await cutListen();
    const after = Date.now();
    expect(await verdict(down, cached.keyHash, new Date(after))).toBe('VALID');
    expect(await verdict(down, cached.keyHash, new Date(before + WINDOW - SECOND))).toBe('VALID');
    expect(await verdict(down, cached.keyHash, new Date(after + WINDOW + SECOND))).toBe('DATABASE_UNAVAILABLE');
    // A key it never validated has no last known state.
    const uncached = await license();
    expect(await verdict(down, uncached.keyHash)).toBe('DATABASE_UNAVAILABLE');
    // Nor has a question the entry cannot answer alone (an activation never looked up).
    expect(await verdict(down, cached.keyHash, new Date(after), { fingerprint: 'never-asked' })).toBe('DATABASE_UNAVAILABLE');
    expect(cache.staleAnswers).toBe(2);
  });

  it('never answers from a last known state while Postgres answers: LISTEN down bypasses the cache, and what Postgres says becomes the last known state', async () => {
    await startCache();
    const revoked = await license();
    expect(await verdict(up, revoked.keyHash)).toBe('VALID');
    await cutListen();
    // Revoked while nobody could tell this replica (its LISTEN connection is down).
    await db.orm.em.fork().execute(`update license set status = 'REVOKED', status_reason = 'chargeback' where id = ?`, [revoked.id]);
    expect(await verdict(up, revoked.keyHash)).toBe('REVOKED');
    // Postgres goes away now: the last known state is the one it last gave, not the cached VALID.
    expect(await verdict(down, revoked.keyHash)).toBe('REVOKED');
    // A read made while LISTEN was down is fresh from when it was read.
    expect(await verdict(down, revoked.keyHash, new Date(Date.now() + WINDOW - 5 * SECOND))).toBe('REVOKED');
  });

  it('retires a last known state this replica changed (its own activation), by the invalidation clock', async () => {
    await startCache();
    const changed = await license();
    expect(await verdict(up, changed.keyHash)).toBe('VALID');
    await cutListen();
    expect(await verdict(down, changed.keyHash)).toBe('VALID');
    cache.invalidate(changed.id);
    expect(await verdict(down, changed.keyHash)).toBe('DATABASE_UNAVAILABLE');
  });

  it('forgets every last known state when LISTEN is back (changes made meanwhile were never heard), and starts caching afresh', async () => {
    // LISTEN comes back quickly here: the cache's log says when it went and when it was back.
    const said: string[] = [];
    await startCache(WINDOW, 100, pino({ level: 'info' }, { write: (line: string) => void said.push(JSON.parse(line).msg) }));
    const known = await license();
    expect(await verdict(up, known.keyHash)).toBe('VALID');
    // Kept as its last known state when LISTEN went (the first test shows it answering), then dropped when LISTEN is back.
    await db.orm.em.fork().execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen %'`);
    await eventually(() => (said.some((msg) => msg.includes('LISTEN connection is back')) && cache.enabled ? true : undefined), { what: 'the LISTEN connection to go and come back' });
    expect(said.filter((msg) => msg.includes('lost its LISTEN connection'))).toHaveLength(1);
    expect(await verdict(down, known.keyHash)).toBe('DATABASE_UNAVAILABLE');
    expect(await verdict(up, known.keyHash)).toBe('VALID');
    expect(cache.get(known.keyHash)).toBeDefined();
  });

  it('serves nothing stale with a window of 0', async () => {
    await startCache(0);
    const known = await license();
    expect(await verdict(up, known.keyHash)).toBe('VALID');
    await cutListen();
    expect(await verdict(down, known.keyHash, new Date(Date.now() + 1))).toBe('DATABASE_UNAVAILABLE');
  });
});
