import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openOrm, type MikroORM } from '../../schema/orm.ts';

export interface TestDatabase {
  orm: MikroORM;
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  url.pathname = '/postgres';
  return url.toString();
}

/** A fresh, migrated database on the run's Postgres cluster, private to one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  const name = `kw_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const orm = await openOrm({ url: url.toString(), poolMax: 20 });
  await migrate(orm);
  return {
    orm,
    url: url.toString(),
    async drop() {
      await orm.close(true);
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
