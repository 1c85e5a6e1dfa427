import pg from 'pg';
import { applyLicenseChange } from '../../domain/licenses/apply-license-change.ts';
import { revokeLicense } from '../../activities/revoke-license.ts';
import { AuditEvent, License } from '../../schema/entities.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';

describe('writing a license change (the activity behind every lifecycle change, status changes included)', () => {
  let db: TestDatabase;
  let applyChange: ReturnType<typeof applyLicenseChange>;
  const secret = testSecret();

  beforeAll(async () => {
    db = await createTestDatabase();
    applyChange = applyLicenseChange(db.orm.em);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const auditOf = (licenseId: string) => db.orm.em.fork().find(AuditEvent, { license: licenseId }, { orderBy: { createdAt: 'asc' } });

  it('bumps the version, records the audit event with the fields before and after, and notifies API replicas', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    await listener.query(`listen ${LICENSE_CHANGED_CHANNEL}`);
    const notified = new Promise<string | undefined>((resolve) => listener.once('notification', (n) => resolve(n.payload)));

    const result = await applyChange({
      licenseId: license.id, patch: { status: 'SUSPENDED', statusReason: 'payment grace ended' }, action: 'license.suspended', actor: 'workflow', reason: 'payment grace ended',
    });
    expect(result).toEqual({ version: 2, changed: true });
    expect(await notified).toBe(license.id);
    await listener.end();

    const row = await db.orm.em.fork().findOneOrFail(License, { id: license.id });
    expect(row).toMatchObject({ status: 'SUSPENDED', version: 2, statusReason: 'payment grace ended' });
    const [event, ...more] = await auditOf(license.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ action: 'license.suspended', actor: 'workflow', reason: 'payment grace ended' });
    expect([event!.before, event!.after]).toEqual([
      { status: 'ACTIVE', statusReason: null, version: 1 },
      { status: 'SUSPENDED', statusReason: 'payment grace ended', version: 2 },
    ]);
  });

  it('is idempotent: a retried activity changes nothing, writes no second audit event and notifies no one', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const input = { licenseId: license.id, patch: { status: 'PAST_DUE' as const, statusReason: 'payment failed' }, action: 'license.past_due', actor: 'stripe', reason: 'payment failed' };
    expect(await applyChange(input)).toEqual({ version: 2, changed: true });

    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    await listener.query(`listen ${LICENSE_CHANGED_CHANNEL}`);
    const notifications: (string | undefined)[] = [];
    listener.on('notification', (n) => notifications.push(n.payload));
    expect(await applyChange(input)).toEqual({ version: 2, changed: false });
    // A notification sent by the retry would have been delivered before this round trip answers.
    await listener.query('select 1');
    await listener.end();
    expect(notifications).toEqual([]);
    expect(await auditOf(license.id)).toHaveLength(1);
  });

  it('records an event-only change (no fields) once, however often it is retried', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const input = { licenseId: license.id, patch: {}, action: 'license.cancel_scheduled', actor: 'stripe', reason: 'canceled at period end' };
    expect(await applyChange(input)).toEqual({ version: 2, changed: true });
    expect(await applyChange(input)).toEqual({ version: 2, changed: false });
    expect((await auditOf(license.id)).map((e) => [e.action, e.before, e.after])).toEqual([['license.cancel_scheduled', { version: 1 }, { version: 2 }]]);
  });

  it('revokes through the same write path: REVOKED with its reason, audited once across retries', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const revoke = revokeLicense(applyChange);
    const input = { licenseId: license.id, actor: 'admin:ops', reason: 'fraud' };
    expect(await revoke(input)).toEqual({ version: 2, changed: true });
    expect(await revoke(input)).toEqual({ version: 2, changed: false });
    expect(await db.orm.em.fork().findOneOrFail(License, { id: license.id })).toMatchObject({ status: 'REVOKED', statusReason: 'fraud', version: 2 });
    expect((await auditOf(license.id)).map((e) => [e.action, e.actor, e.reason, e.after])).toEqual([
      ['license.revoked', 'admin:ops', 'fraud', { status: 'REVOKED', statusReason: 'fraud', version: 2 }],
    ]);
  });

  it('serialises concurrent writers on the row lock: versions never skip or repeat', async () => {
    const { license } = await insertLicense(db.orm.em, secret);
    const statuses = ['SUSPENDED', 'ACTIVE', 'PAST_DUE', 'ACTIVE', 'SUSPENDED'] as const;
    await Promise.all(
      statuses.map((status, i) => applyChange({ licenseId: license.id, patch: { status }, action: `license.test-${i}`, actor: 'test', reason: null })),
    );
    const events = await auditOf(license.id);
    const versions = events.map((e) => (e.after as { version: number }).version).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => i + 2));
    const row = await db.orm.em.fork().findOneOrFail(License, { id: license.id });
    expect(row.version).toBe(1 + events.length);
  });
});
