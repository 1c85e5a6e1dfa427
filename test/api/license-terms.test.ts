import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { signedIn, type Browser } from '../support/staff.ts';
import { eventually } from '../support/poll.ts';

/**
 * PATCH /v1/licenses/{id}: a license's own terms (policy overrides and metadata), edited through
 * its workflow: previewed by a dry run, audited with the reason, seen by the next validation, and
 * taken by the workflow's deadlines at once when the lifecycle terms change.
 */
describe('PATCH /v1/licenses/{id}: policy overrides and metadata', () => {
  let stack: ApiStack;
  let support: Browser;

  beforeAll(async () => {
    stack = await startApiStack();
    support = (await signedIn(stack, 'support')).browser;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('previews an edit, then applies it: the next validation sees the seats and features, the audit trail the reason', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 10, features: { export: true } });
    const body = { overrides: { seat_limit: 25, features: { export: true, sso: true } }, metadata: { renewal_value: 12000, currency: 'eur' }, reason: 'Enterprise deal, signed 3 March' };

    const preview = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { ...body, dry_run: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      dry_run: true,
      lifecycle_changed: false,
      changes: [
        { field: 'policy.features', from: { export: true }, to: { export: true, sso: true } },
        { field: 'policy.seat_limit', from: 10, to: 25 },
        { field: 'metadata.currency', from: null, to: 'eur' },
        { field: 'metadata.renewal_value', from: null, to: 12000 },
      ],
    });
    // A dry run changes nothing.
    expect((await stack.request('GET', `/v1/licenses/${id}`)).body).toMatchObject({ seat_limit: 10, version: 1, metadata: {} });

    const edited = await stack.request('PATCH', `/v1/licenses/${id}`, { body });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ seat_limit: 25, features: { export: true, sso: true }, overrides: { seat_limit: 25 }, metadata: { renewal_value: 12000, currency: 'eur' }, version: 2 });
    expect(edited.body.audit_events[0]).toMatchObject({ action: 'license.updated', reason: 'Enterprise deal, signed 3 March', actor: expect.stringMatching(/^token:/), actor_label: 'bootstrap-admin' });
    expect(edited.body.audit_events[0].after).toMatchObject({ metadata: { renewal_value: 12000, currency: 'eur' }, version: 2 });
    const validated = await client(stack, '/v1/validate', { key });
    expect(validated.body.license).toMatchObject({ seat_limit: 25, features: { export: true, sso: true } });

    // The same edit again changes nothing and writes nothing.
    const again = await stack.request('PATCH', `/v1/licenses/${id}`, { body });
    expect(again.body.version).toBe(2);

    // Overrides are replaced whole: leaving seat_limit out inherits the plan's again.
    const inherited = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: {}, reason: 'Deal ended' } });
    expect(inherited.body).toMatchObject({ seat_limit: 10, features: { export: true }, overrides: {}, metadata: { renewal_value: 12000 } });
  });

  it('routes a change of lifecycle terms through the workflow: the timeline shows the new reminders', async () => {
    const { id } = await createLicense(stack, { reminder_offsets_days: [30, 7] }, { expires_at: '2099-01-01T00:00:00Z' });
    const preview = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { reminder_offsets_days: [60, 14, 1] }, reason: 'Longer notice', dry_run: true } });
    expect(preview.body).toMatchObject({ lifecycle_changed: true, changes: [{ field: 'policy.reminder_offsets_days', from: [30, 7], to: [60, 14, 1] }] });
    const edited = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { reminder_offsets_days: [14, 60, 1] }, reason: 'Longer notice' } });
    expect(edited.status).toBe(200);
    expect(edited.body.policy.reminder_offsets_days).toEqual([60, 14, 1]);
    const timeline = await eventually(async () => {
      const answer = await stack.request('GET', `/v1/licenses/${id}/timeline`);
      const days = answer.body.upcoming.filter((d: { kind: string }) => d.kind === 'renewal_reminder').map((d: { days_before: number }) => d.days_before);
      return days.length === 3 ? days : undefined;
    });
    expect(timeline).toEqual([60, 14, 1]);
  });

  it('refuses bad input, a revoked license and a role without the scope, changing nothing', async () => {
    const { id } = await createLicense(stack);
    expect(await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { seat_limit: 5 } } })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    expect(await stack.request('PATCH', `/v1/licenses/${id}`, { body: { reason: 'nothing to change' } })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    const badSeats = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { seat_limit: -3 }, reason: 'typo' } });
    expect(badSeats).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    expect(badSeats.body.errors.map((e: { field: string }) => e.field)).toContain('overrides.seat_limit');
    const badTerm = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { term_kind: 'FIXED_END' }, reason: 'fiscal year' } });
    expect(badTerm).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });

    const forbidden = await support.request('PATCH', `/v1/licenses/${id}`, { body: { overrides: { seat_limit: 50 }, reason: 'asked nicely' } });
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    expect((await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'chargeback' } })).status).toBe(200);
    const revoked = await stack.request('PATCH', `/v1/licenses/${id}`, { body: { metadata: { renewal_value: 1 }, reason: 'late' } });
    expect(revoked).toMatchObject({ status: 409, body: { code: 'LICENSE_ALREADY_REVOKED' } });
    const after = await stack.request('GET', `/v1/licenses/${id}`);
    expect(after.body.metadata).toEqual({});
    expect(after.body.audit_events.filter((e: { action: string }) => e.action === 'license.updated')).toEqual([]);
  });
});
