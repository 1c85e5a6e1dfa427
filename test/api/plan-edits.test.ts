import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { eventually } from '../support/poll.ts';

describe('PATCH /v1/plans/{id}: a dry run says what an edit does; a real edit reaches the running licenses', () => {
  const contract = openApiContract();
  const { call } = contract;
  let stack: ApiStack;

  beforeAll(async () => {
    ({ stack } = await contract.start());
  });
  afterAll(async () => {
    await contract.close();
  });

  const license = async (planId: string, email: string, overrides: Record<string, unknown> = {}) =>
    (await call('POST', '/v1/licenses', { body: { plan_id: planId, customer: { email }, expires_at: '2099-01-01T00:00:00Z', overrides, notify: false } })).body;
  const reminders = async (id: string) =>
    (await call('GET', '/v1/licenses/{id}/timeline', { params: { id } })).body.upcoming.filter((d: { kind: string }) => d.kind === 'renewal_reminder').map((d: { days_before: number }) => d.days_before);

  it('previews the licenses an edit reaches (overrides masking it, revoked ones left out), changes nothing, then applies it to their workflows', async () => {
    const product = (await call('POST', '/v1/products', { body: { code: 'edits', name: 'Edits' } })).body;
    const plan = (await call('POST', '/v1/plans', { body: { product_id: product.id, code: 'annual', name: 'Annual', tier: 'pro' } })).body;
    const plain = await license(plan.id, 'plain@example.com');
    const masked = await license(plan.id, 'masked@example.com', { reminder_offsets_days: [30], expiry_grace_days: 2 });
    const revoked = await license(plan.id, 'gone@example.com');
    await call('POST', '/v1/licenses/{id}/revoke', { params: { id: revoked.id }, body: { reason: 'refund' } });
    const trailBefore = (await call('GET', '/v1/audit-events', { query: `target_id=${plan.id}` })).body.data.length;

    const edit = { reminder_offsets_days: [60, 7], expiry_grace_days: 3, reason: 'fewer reminders' };
    const preview = await call('PATCH', '/v1/plans/{id}', { params: { id: plan.id }, body: { ...edit, dry_run: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dry_run: true,
      plan: { id: plan.id, reminder_offsets_days: [60, 7], expiry_grace_days: 3 },
      impact: {
        changes: { before: { reminder_offsets_days: [90, 30, 14, 7, 0], expiry_grace_days: 0 }, after: { reminder_offsets_days: [60, 7], expiry_grace_days: 3 } },
        licenses_on_plan: 2,
        affected_licenses: 1,
        workflows_to_update: 1,
        term_end_moved: null,
        expiries_moved: 0,
        sample: [
          {
            license_id: plain.id,
            key_hint: plain.key_hint,
            status: 'ACTIVE',
            customer_email: 'plain@example.com',
            before: { reminder_offsets_days: [90, 30, 14, 7, 0], expiry_grace_days: 0 },
            after: { reminder_offsets_days: [60, 7], expiry_grace_days: 3 },
          },
        ],
      },
    });
    // Nothing changed: the plan, the trail, the workflows.
    expect((await call('GET', '/v1/plans/{id}', { params: { id: plan.id } })).body).toMatchObject({ reminder_offsets_days: [90, 30, 14, 7, 0], updated_at: plan.updated_at });
    expect((await call('GET', '/v1/audit-events', { query: `target_id=${plan.id}` })).body.data).toHaveLength(trailBefore);
    expect(await reminders(plain.id)).toEqual([90, 30, 14, 7, 0]);

    const edited = await call('PATCH', '/v1/plans/{id}', { params: { id: plan.id }, body: edit });
    expect(edited.body).toMatchObject({ reminder_offsets_days: [60, 7], expiry_grace_days: 3 });
    const [event] = (await call('GET', '/v1/audit-events', { query: `target_type=plan&target_id=${plan.id}&action=plan.updated` })).body.data;
    expect(event).toMatchObject({ reason: 'fewer reminders', before: { reminder_offsets_days: [90, 30, 14, 7, 0], expiry_grace_days: 0 }, after: { reminder_offsets_days: [60, 7], expiry_grace_days: 3 } });
    // The running workflow follows the plan; the one overriding both fields keeps its own.
    await eventually(async () => JSON.stringify(await reminders(plain.id)) === '[60,7]' || undefined, { what: 'the new reminders in the license timeline', timeoutMs: 30_000 });
    expect(await reminders(masked.id)).toEqual([30]);
  });

  it('refuses a bad edit field by field, and previews nothing for one', async () => {
    const product = (await call('POST', '/v1/products', { body: { code: 'edits-bad', name: 'Edits' } })).body;
    const plan = (await call('POST', '/v1/plans', { body: { product_id: product.id, code: 'annual', name: 'Annual', tier: 'pro' } })).body;
    const noDays = await call('PATCH', '/v1/plans/{id}', { params: { id: plan.id }, body: { term_kind: 'DURATION', dry_run: true } });
    expect(noDays.status).toBe(400);
    expect(noDays.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'term_days', message: expect.stringContaining('DURATION') }] });
    const bad = await call('PATCH', '/v1/plans/{id}', { params: { id: plan.id }, body: { reminder_offsets_days: [-1], cache_ttl_seconds: 'soon', dry_run: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cache_ttl_seconds', 'dry_run', 'reminder_offsets_days.0']);
    expect((await call('PATCH', '/v1/plans/{id}', { params: { id: '00000000-0000-4000-8000-000000000000' }, body: { dry_run: true } })).body.code).toBe('PLAN_NOT_FOUND');
    // An edit that changes nothing records nothing.
    await call('PATCH', '/v1/plans/{id}', { params: { id: plan.id }, body: { name: 'Annual' } });
    expect((await call('GET', '/v1/audit-events', { query: `target_id=${plan.id}&action=plan.updated` })).body.data).toHaveLength(0);
  });
});
