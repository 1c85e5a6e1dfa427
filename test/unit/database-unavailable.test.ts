import net from 'node:net';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import pg from 'pg';
import { ActivationBatcher, type ActivationItem } from '../../domain/seats/activation-batch.ts';
import { databaseUnavailableReason, isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import { HotPathDb } from '../../lib/hot-path-db.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const serverError = (code: string) => Object.assign(new pg.DatabaseError('server said no', 0, 'error'), { code });

describe('which failures mean that Postgres is unreachable (one classification for the whole API)', () => {
  it.each<[string, unknown, string]>([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'ECONNREFUSED'],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET'), 'ECONNRESET'],
    ['a host with several addresses, all refused', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed')), 'ECONNREFUSED'],
    ['a connection that died under a query', new Error('Connection terminated unexpectedly'), 'connection terminated'],
    ['a connect that timed out', new Error('Connection terminated due to connection timeout'), 'connection terminated'],
    ['a pool that found no connection in time', new Error('timeout exceeded when trying to connect'), 'pool timeout'],
    ['an administrator shutdown', serverError('57P01'), '57P01'],
    ['a crash shutdown', serverError('57P02'), '57P02'],
    ['a server starting up', serverError('57P03'), '57P03'],
    ['no connection slot left', serverError('53300'), '53300'],
    ['a connection exception', serverError('08006'), '08006'],
    ['MikroORM wrapping any of them', new DriverException(withCode('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED')), 'ECONNREFUSED'],
    ['MikroORM wrapping a query whose connection died', new DriverException(new Error('select 1 - Connection terminated unexpectedly')), 'connection terminated'],
    ['the cause of another error', new Error('could not load the signing keys', { cause: serverError('57P01') }), '57P01'],
  ])('%s', (_what, error, reason) => {
    expect(databaseUnavailableReason(error)).toBe(reason);
  });

  it.each<[string, unknown]>([
    ['a unique violation', new UniqueConstraintViolationException(serverError('23505'))],
    ['a syntax error', serverError('42601')],
    ['a protocol violation (a bug, not an outage)', serverError('08P01')],
    ['a plain bug', new Error('cannot read properties of undefined')],
    ['a gRPC error of Temporal (numeric code)', Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 })],
    ['nothing at all', undefined],
  ])('not %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('says only a label, never the driver’s text (which may quote a query)', () => {
    expect(databaseUnavailableReason(new Error('insert into license values (\'secret-ish\') - Connection terminated unexpectedly'))).toBe('connection terminated');
  });
});

describe('the client endpoints’ pool against a server that accepts but never answers', () => {
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let port = 0;

  beforeAll(async () => {
    silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up on the connection after its timeout, with a failure classified as an outage (a 503, not a hung request)', async () => {
    const db = HotPathDb.connect({ url: `postgres://kw:kw@127.0.0.1:${port}/kw`, connectTimeoutMs: 300 });
    try {
      const failure = await db.rows({ name: 'probe', text: 'select 1' }, []).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeDefined();
      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('activation batches while Postgres is unreachable', () => {
  const item = (fingerprint: string) => ({ key_hash: 'h', fingerprint }) as ActivationItem;

  it('fail all at once, without retrying each activation alone against the outage', async () => {
    let calls = 0;
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const db = {
      async rows() {
        calls += 1;
        // The first batch holds the line while the others queue up behind it (one batch in flight).
        if (calls === 1) await first;
        throw withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
      },
    } as unknown as HotPathDb;
    const batcher = new ActivationBatcher(db, { maxInFlight: 1 });
    const outcomes = ['a', 'b', 'c', 'd'].map((fingerprint) => batcher.activate(item(fingerprint)).then(() => 'acknowledged', (error: unknown) => (isDatabaseUnavailable(error) ? 'refused' : String(error))));
    release();
    expect(await Promise.all(outcomes)).toEqual(['refused', 'refused', 'refused', 'refused']);
    // One batch of one, then one batch of the three that waited: never three more single tries.
    expect(calls).toBe(2);
  });

  it('still retries a failed batch one by one for any other error, so one bad activation fails alone', async () => {
    const sent: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const db = {
      async rows(_query: unknown, [json]: [string]) {
        const items = JSON.parse(json) as ActivationItem[];
        sent.push(items.map((i) => i.fingerprint));
        if (sent.length === 1) await first;
        if (items.some((i) => i.fingerprint === 'bad')) throw serverError('22P02');
        return items.map((_, index) => ({ o_index: index, o_outcome: 'CREATED', o_license_id: 'l', o_activation_id: 'x', o_seats: 1 }));
      },
    } as unknown as HotPathDb;
    const batcher = new ActivationBatcher(db, { maxInFlight: 1 });
    const outcomes = ['a', 'b', 'bad', 'c'].map((fingerprint) => batcher.activate(item(fingerprint)).then((o) => o.o_outcome, () => 'failed'));
    release();
    expect(await Promise.all(outcomes)).toEqual(['CREATED', 'CREATED', 'failed', 'CREATED']);
    expect(sent).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });
});
