import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense, createPlan } from '../support/api-fixtures.ts';

describe('admin lifecycle endpoints (through the license workflow)', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('suspends and reinstates, and validation follows each step', async () => {
    const { id, key } = await createLicense(stack);
    const suspended = await stack.request('POST', `/v1/licenses/${id}/suspend`, { body: { reason: 'chargeback investigation' } });
    expect(suspended.body).toMatchObject({ status: 'SUSPENDED', status_reason: 'chargeback investigation' });
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('SUSPENDED');
    const again = await stack.request('POST', `/v1/licenses/${id}/suspend`, { body: { reason: 'twice' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'ALREADY_SUSPENDED' } });
    const reinstated = await stack.request('POST', `/v1/licenses/${id}/reinstate`, { body: { reason: 'cleared' } });
    expect(reinstated.body.status).toBe('ACTIVE');
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    expect(reinstated.body.audit_events.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(['license.reinstated', 'license.suspended']);
  });

  it('renews the same key to a later date and shows the new timeline', async () => {
    const { id, key } = await createLicense(stack, { reminder_offsets_days: [30, 7] }, { expires_at: '2027-06-01T00:00:00Z' });
    const bad = await stack.request('POST', `/v1/licenses/${id}/renew`, { body: { until: '2027-01-01T00:00:00Z', reason: 'too early' } });
    expect(bad).toMatchObject({ status: 422, body: { code: 'INVALID_DATE' } });
    const renewed = await stack.request('POST', `/v1/licenses/${id}/renew`, { body: { until: '2028-06-01T00:00:00Z', reason: 'annual renewal' } });
    expect(renewed.body).toMatchObject({ status: 'ACTIVE', expires_at: '2028-06-01T00:00:00.000Z' });
    expect((await client(stack, '/v1/validate', { key })).body.license.expires_at).toBe('2028-06-01T00:00:00.000Z');
    const timeline = await stack.request('GET', `/v1/licenses/${id}/timeline`);
    expect(timeline.body.upcoming.map((d: { kind: string; days_before: number | null }) => [d.kind, d.days_before])).toEqual([
      ['renewal_reminder', 30],
      ['renewal_reminder', 7],
      ['expiry_grace_end', null],
    ]);
  });

  it('previews a plan change exactly, then schedules it for the end of the period', async () => {
    const { id } = await createLicense(stack, { seat_limit: 10, features: { export: true, sso: true } }, { expires_at: '2027-06-01T00:00:00Z' });
    const basic = await createPlan(stack, { seat_limit: 2, features: { export: true } });
    const preview = await stack.request('POST', `/v1/licenses/${id}/change-plan`, { body: { plan_id: basic.id, effective: 'period_end', reason: 'downgrade', dry_run: true } });
    expect(preview.body).toMatchObject({ dry_run: true, to_plan: basic.code, effective_at: '2027-06-01T00:00:00.000Z' });
    expect(preview.body.changes).toEqual(
      expect.arrayContaining([
        { field: 'seat_limit', from: 10, to: 2 },
        { field: 'features', from: { export: true, sso: true }, to: { export: true } },
      ]),
    );
    const scheduled = await stack.request('POST', `/v1/licenses/${id}/change-plan`, { body: { plan_id: basic.id, effective: 'period_end', reason: 'downgrade' } });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.seat_limit).toBe(10);
    const timeline = await stack.request('GET', `/v1/licenses/${id}/timeline`);
    expect(timeline.body.scheduled_plan_change).toEqual({ plan: basic.code, effective_at: '2027-06-01T00:00:00.000Z' });
  });

  it('extends a trial', async () => {
    const plan = await createPlan(stack, { trial_days: 14 });
    const trial = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: 'eval@example.com' }, trial: true } });
    const until = new Date(Date.parse(trial.body.trial_ends_at) + 14 * 86_400_000).toISOString();
    const extended = await stack.request('POST', `/v1/licenses/${trial.body.id}/extend-trial`, { body: { until, reason: 'longer evaluation' } });
    expect(extended.body).toMatchObject({ status: 'TRIALING', trial_ends_at: until });
    const notTrial = await createLicense(stack);
    const refused = await stack.request('POST', `/v1/licenses/${notTrial.id}/extend-trial`, { body: { until, reason: 'x' } });
    expect(refused).toMatchObject({ status: 409, body: { code: 'NOT_TRIALING' } });
  });

  it('answers every command on a revoked license 409 LICENSE_ALREADY_REVOKED: its workflow has completed, nothing is unavailable', async () => {
    const { id } = await createLicense(stack);
    expect((await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'fraud' } })).body.status).toBe('REVOKED');
    const commands: [string, Record<string, unknown>][] = [
      ['suspend', { reason: 'x' }],
      ['reinstate', { reason: 'x' }],
      ['renew', { until: '2099-01-01T00:00:00Z', reason: 'x' }],
      ['set-expiry', { expires_at: null, reason: 'x' }],
      ['extend-trial', { until: '2099-01-01T00:00:00Z', reason: 'x' }],
    ];
    for (const [command, body] of commands) {
      const refused = await stack.request('POST', `/v1/licenses/${id}/${command}`, { body });
      expect([command, refused.status, refused.body.code]).toEqual([command, 409, 'LICENSE_ALREADY_REVOKED']);
    }
  });
});
