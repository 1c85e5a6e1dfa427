import { openOrm, migrate } from '../../schema/orm.ts';
import { migrations } from '../../schema/migrations/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('database migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('produce exactly the schema the entities describe', async () => {
    expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
  });

  it('are recorded once and re-running them is a no-op', async () => {
    expect(await migrate(db.orm)).toEqual([]);
    const rows = await db.orm.em.execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('are safe when several processes start at once', async () => {
    const fresh = await createTestDatabase();
    // Roll back to an empty schema, then let three "replicas" race to migrate it.
    await fresh.orm.migrator.down({ to: 0 });
    const replicas = await Promise.all([0, 1, 2].map(() => openOrm({ url: fresh.url })));
    const applied = await Promise.all(replicas.map((orm) => migrate(orm)));
    expect(applied.flat()).toEqual(migrations.map((m) => m.name));
    await Promise.all(replicas.map((orm) => orm.close(true)));
    await fresh.drop();
  });
});

describe('upgrading a database that already holds licenses', () => {
  it('keeps every license: plan names become plans, emails become customers, features and seats become overrides', async () => {
    const db = await createTestDatabase();
    try {
      await db.orm.migrator.down({ to: 'Migration20261122000000_initial' });
      await db.orm.em.execute(
        `insert into license (id, key_hash, key_hint, status, plan, features, seat_limit, customer_email, metadata, version, created_at, updated_at)
         values ('00000000-0000-4000-8000-000000000001', repeat('a', 64), 'KW-…-AAAA', 'ACTIVE', 'pro', '{"export": true}', 5, 'Ada@Example.com', '{}', 3, now(), now()),
                ('00000000-0000-4000-8000-000000000002', repeat('b', 64), 'KW-…-BBBB', 'REVOKED', 'pro', '{}', null, null, '{}', 2, now(), now())`,
      );
      await migrate(db.orm);
      const rows = await db.orm.em.execute<Record<string, any>[]>(
        `select l.id, l.status, l.version, l.overrides, p.code as plan, c.email from license l
           join plan p on p.id = l.plan_id left join customer c on c.id = l.customer_id order by l.id`,
      );
      expect(rows).toEqual([
        { id: '00000000-0000-4000-8000-000000000001', status: 'ACTIVE', version: 3, overrides: { features: { export: true }, seatLimit: 5 }, plan: 'pro', email: 'ada@example.com' },
        { id: '00000000-0000-4000-8000-000000000002', status: 'REVOKED', version: 2, overrides: { features: {} }, plan: 'pro', email: null },
      ]);
    } finally {
      await db.drop();
    }
  });
});
