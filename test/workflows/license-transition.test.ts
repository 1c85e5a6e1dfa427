import pg from 'pg';
import { applyLicenseTransition, LICENSE_CHANGED_CHANNEL } from '../../activities/license-transition.ts';
import { AuditEvent, License } from '../../schema/entities.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';

describe('writing a license transition (the activity behind every lifecycle change)', () => {
  let db: TestDatabase;
  const secret = testSecret();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('bumps the version, records the audit event and notifies API replicas', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    await listener.query(`listen ${LICENSE_CHANGED_CHANNEL}`);
    const notified = new Promise<string | undefined>((resolve) => listener.once('notification', (n) => resolve(n.payload)));

    const result = await applyLicenseTransition(db.orm.em, {
      licenseId: license.id, to: 'SUSPENDED', action: 'license.suspended', actor: 'workflow', reason: 'payment grace ended',
    });
    expect(result).toEqual({ licenseId: license.id, status: 'SUSPENDED', version: 2, changed: true });
    expect(await notified).toBe(license.id);
    await listener.end();

    const row = await db.orm.em.fork().findOneOrFail(License, { id: license.id });
    expect(row).toMatchObject({ status: 'SUSPENDED', version: 2, statusReason: 'payment grace ended' });
  });

  it('is idempotent: a retried activity changes nothing and writes no second audit event', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const input = { licenseId: license.id, to: 'REVOKED' as const, action: 'license.revoked', actor: 'admin:ops', reason: 'fraud' };
    await applyLicenseTransition(db.orm.em, input);
    const retry = await applyLicenseTransition(db.orm.em, input);
    expect(retry).toEqual({ licenseId: license.id, status: 'REVOKED', version: 2, changed: false });
    expect(await db.orm.em.fork().count(AuditEvent, { license: license.id })).toBe(1);
  });

  it('serialises concurrent writers on the row lock: versions never skip or repeat', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const statuses = ['SUSPENDED', 'ACTIVE', 'PAST_DUE', 'ACTIVE', 'SUSPENDED'] as const;
    await Promise.all(
      statuses.map((to, i) => applyLicenseTransition(db.orm.em, { licenseId: license.id, to, action: `license.test-${i}`, actor: 'test', reason: null })),
    );
    const events = await db.orm.em.fork().find(AuditEvent, { license: license.id }, { orderBy: { createdAt: 'asc' } });
    const versions = events.map((e) => (e.after as { version: number }).version).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => i + 2));
    const row = await db.orm.em.fork().findOneOrFail(License, { id: license.id });
    expect(row.version).toBe(1 + events.length);
  });
});
