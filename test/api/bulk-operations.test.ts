import { randomBytes } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { eventually } from '../support/poll.ts';
import { signedIn } from '../support/staff.ts';

const DAY_MS = 86_400_000;

describe('bulk operations (API, real Postgres and Temporal)', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    // Slow enough that a cancellation lands mid-run; the other runs are a few licenses.
    stack = await startApiStack({ app: { bulkRatePerSecond: 4 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function licenses(planId: string, count: number, extra: Record<string, unknown> = {}) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await stack.request('POST', '/v1/licenses', {
        body: { plan_id: planId, customer: { email: `bulk-${randomBytes(4).toString('hex')}@example.com` }, expires_at: '2030-01-01T00:00:00Z', ...extra },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    return ids;
  }

  const finished = (id: string) =>
    eventually(
      async () => {
        const answer = await stack.request('GET', `/v1/bulk-operations/${id}?limit=500`);
        return answer.body.status === 'COMPLETED' || answer.body.status === 'CANCELLED' ? answer.body : undefined;
      },
      { timeoutMs: 90_000, what: `bulk operation ${id} to finish` },
    );

  /** The operation's own rows (started, cancel requested), as the audit walk trusts this test to check. */
  const operationRows = async (bulkId: string, action: string) =>
    Number((await stack.db.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from audit_event where action = ? and target_type = 'bulk_operation' and target_id = ?`, [action, bulkId]))[0]!.n);

  const auditRows = (bulkId: string) =>
    stack.db.orm.em.execute<{ license_id: string; actor: string; action: string; reason: string; rows: string }[]>(
      `select license_id, actor, action, reason, count(*) over (partition by license_id) as rows from audit_event where after ->> 'bulk_operation_id' = ?`,
      [bulkId],
    );

  it('previews, then extends every chosen license exactly once, skipping what cannot change, audited with the bulk id', async () => {
    const plan = await createPlan(stack);
    const ids = await licenses(plan.id, 4);
    const revoked = (await licenses(plan.id, 1))[0]!;
    expect((await stack.request('POST', `/v1/licenses/${revoked}/revoke`, { body: { reason: 'chargeback' } })).status).toBe(200);

    const body = { selection: { type: 'filter', plan: plan.code }, operation: { type: 'extend_expiry', days: 30 }, reason: 'service outage credit' };
    const preview = await stack.request('POST', '/v1/bulk-operations', { body: { ...body, dry_run: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dry_run: true, affected: 4, skipped: 1, truncated: false });
    expect(preview.body.changes[0]).toMatchObject({ before: { expires_at: '2030-01-01T00:00:00.000Z' }, after: { expires_at: '2030-01-31T00:00:00.000Z' } });
    expect(preview.body.skipped_licenses).toEqual([expect.objectContaining({ license_id: revoked, code: 'LICENSE_ALREADY_REVOKED' })]);
    // The preview changed nothing.
    expect((await stack.request('GET', `/v1/licenses/${ids[0]}`)).body.expires_at).toBe('2030-01-01T00:00:00.000Z');

    const started = await stack.request('POST', '/v1/bulk-operations', { body });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/v1/bulk-operations/${started.body.id}`);
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ status: 'COMPLETED', counts: { applied: 4, skipped: 1, pending: 0, failed: 0 }, progress: { percent: 100 } });
    for (const id of ids) expect((await stack.request('GET', `/v1/licenses/${id}`)).body.expires_at).toBe(new Date(Date.parse('2030-01-01T00:00:00Z') + 30 * DAY_MS).toISOString());

    const rows = await auditRows(started.body.id);
    expect(new Set(rows.map((row) => row.license_id))).toEqual(new Set(ids));
    expect(rows.every((row) => row.rows === '1' && row.action === 'license.expiry_set' && row.reason === 'service outage credit' && row.actor.startsWith('admin:'))).toBe(true);
    expect(await operationRows(started.body.id, 'bulk_operation.started')).toBe(1);

    const csv = await stack.request('GET', `/v1/bulk-operations/${started.body.id}/results.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('license_id,key_hint,customer_email,result,code,detail,before,after,finished_at');
    expect(lines).toHaveLength(6);
    expect(lines.filter((line) => line.includes(',APPLIED,'))).toHaveLength(4);
  });

  it('chooses licenses by a CSV of e-mails and ids, reports entries that match nothing, and sets features and seat limits', async () => {
    const plan = await createPlan(stack, { seat_limit: 3 });
    const [first, second] = await licenses(plan.id, 2);
    const email = (await stack.request('GET', `/v1/licenses/${second}`)).body.customer_email as string;
    const csv = `email\n${first}\n${email.toUpperCase()}\nnobody@example.com\nnot-an-entry\n`;
    const preview = await stack.request('POST', '/v1/bulk-operations', { body: { selection: { type: 'csv', csv }, operation: { type: 'add_feature', feature: 'sso' }, dry_run: true } });
    expect(preview.status).toBe(200);
    expect(preview.body.affected).toBe(2);
    expect(preview.body.changes[0].after).toEqual({ features: { export: true, sso: true } });
    expect(preview.body.unmatched).toEqual([
      { entry: 'nobody@example.com', code: 'CUSTOMER_NOT_FOUND', detail: expect.any(String) },
      { entry: 'not-an-entry', code: 'INVALID_ENTRY', detail: expect.any(String) },
    ]);

    for (const operation of [{ type: 'add_feature', feature: 'sso' }, { type: 'set_seat_limit', seat_limit: 25 }]) {
      const started = await stack.request('POST', '/v1/bulk-operations', { body: { selection: { type: 'csv', csv }, operation, reason: 'enterprise pilot' } });
      expect(started.status).toBe(201);
      expect(await finished(started.body.id)).toMatchObject({ status: 'COMPLETED', counts: { applied: 2 } });
    }
    const [row] = await stack.db.orm.em.execute<{ overrides: Record<string, unknown> }[]>('select overrides from license where id = ?', [first]);
    expect(row!.overrides).toMatchObject({ features: { export: true, sso: true }, seatLimit: 25 });
    // Running it again changes nothing: every license already has it.
    const again = await stack.request('POST', '/v1/bulk-operations', { body: { selection: { type: 'csv', csv }, operation: { type: 'add_feature', feature: 'sso' }, reason: 'twice' } });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('BULK_NOTHING_TO_CHANGE');
  });

  it('cancels: licenses already changed stay changed once, the rest are reported cancelled and untouched', async () => {
    const plan = await createPlan(stack);
    const ids = await licenses(plan.id, 24);
    const started = await stack.request('POST', '/v1/bulk-operations', { body: { selection: { type: 'filter', plan: plan.code }, operation: { type: 'suspend' }, reason: 'fraud review' } });
    expect(started.status).toBe(201);
    const cancel = await stack.request('POST', `/v1/bulk-operations/${started.body.id}/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.body.status).toBe('CANCELLING');
    expect(await operationRows(started.body.id, 'bulk_operation.cancel_requested')).toBe(1);
    const done = await finished(started.body.id);
    expect(done.status).toBe('CANCELLED');
    expect(done.counts.pending).toBe(0);
    expect(done.counts.applied + done.counts.cancelled).toBe(ids.length);
    expect(done.counts.cancelled).toBeGreaterThan(0);
    const rows = await auditRows(started.body.id);
    expect(rows.every((row) => row.rows === '1')).toBe(true);
    const applied = new Set(done.results.data.filter((item: any) => item.status === 'APPLIED').map((item: any) => item.license_id));
    expect(new Set(rows.map((row) => row.license_id))).toEqual(applied);
    const statuses = await stack.db.orm.em.execute<{ id: string; status: string }[]>(`select id, status from license where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
    for (const license of statuses) expect(license.status).toBe(applied.has(license.id) ? 'SUSPENDED' : 'ACTIVE');
    // Cancelled is final.
    expect((await stack.request('POST', `/v1/bulk-operations/${started.body.id}/cancel`)).body.code).toBe('BULK_OPERATION_FINISHED');
  });

  it('refuses support staff (403) and bad input with clear codes', async () => {
    const plan = await createPlan(stack);
    await licenses(plan.id, 1);
    const body = { selection: { type: 'filter', plan: plan.code }, operation: { type: 'extend_expiry', days: 7 }, dry_run: true };
    const { browser } = await signedIn(stack, 'support');
    const refused = await browser.request('POST', '/v1/bulk-operations', { body });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect((await browser.request('GET', '/v1/bulk-operations')).status).toBe(200);

    const missingReason = await stack.request('POST', '/v1/bulk-operations', { body: { ...body, dry_run: false } });
    expect(missingReason.body.code).toBe('REASON_REQUIRED');
    const noFilter = await stack.request('POST', '/v1/bulk-operations', { body: { ...body, selection: { type: 'filter' } } });
    expect(noFilter.status).toBe(400);
    expect(noFilter.body.errors[0].field).toBe('selection');
    const unknownPlan = await stack.request('POST', '/v1/bulk-operations', { body: { ...body, operation: { type: 'change_plan', plan_id: '00000000-0000-4000-8000-000000000000' } } });
    expect(unknownPlan.body.code).toBe('PLAN_NOT_FOUND');
    expect((await stack.request('GET', '/v1/bulk-operations/00000000-0000-4000-8000-000000000000')).body.code).toBe('BULK_OPERATION_NOT_FOUND');
    expect((await stack.request('GET', '/v1/bulk-operations/00000000-0000-4000-8000-000000000000/results.csv')).status).toBe(404);
  });
});
