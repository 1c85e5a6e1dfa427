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
