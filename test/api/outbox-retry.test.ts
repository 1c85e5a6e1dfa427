import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { eventually } from '../support/poll.ts';
import { signedIn } from '../support/staff.ts';
import { seedAccount } from '../support/web/console-fixtures.ts';

/**
 * A staff retry of an outbox message (POST /v1/messages/{id}/retry) against the real stack: the
 * message goes back to PENDING, a new delivery run of its own workflow id delivers it (with no
 * provider configured here, it ends NOT_SENT again, one attempt-free run), the trail records who,
 * why and the before/after, and what may not be retried is refused without a change.
 */
describe('outbox: retrying a message', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const messageOf = async (licenseId: string) => {
    const answer = await stack.request('GET', `/v1/licenses/${licenseId}/messages?event=license_issued`);
    return answer.body.data[0] as { id: string; status: string; attempts: number; last_error: string | null; workflow_id: string } | undefined;
  };
  const settled = (licenseId: string) => eventually(async () => {
    const message = await messageOf(licenseId);
    return message && message.status !== 'PENDING' ? message : undefined;
  }, { what: 'the license_issued message to be delivered', timeoutMs: 30_000 });

  it('sends a failed message again under the same workflow id, audited with the support member and the reason', async () => {
    const account = await seedAccount(stack);
    const first = await settled(account.license.id);
    expect(first.status).toBe('NOT_SENT');
    await stack.db.orm.em.execute(`update outbox_message set status = 'FAILED', last_error = 'Customer.io answered 422: unknown template' where id = ?`, [first.id]);

    const { browser, account: member } = await signedIn(stack, 'support');
    const retried = await browser.request('POST', `/v1/messages/${first.id}/retry`, { body: { reason: 'Template 7 restored in Customer.io' } });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: first.id, status: 'PENDING' });

    // The new run ends as a run does here (no provider configured: recorded only).
    const after = await settled(account.license.id);
    expect(after.status).toBe('NOT_SENT');
    const runs = [];
    for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = '${first.workflow_id}'` })) runs.push(run.runId);
    expect(new Set(runs).size).toBe(2);

    const trail = await stack.request('GET', `/v1/audit-events?target_type=outbox_message&target_id=${first.id}`);
    expect(trail.body.data).toEqual([
      expect.objectContaining({
        action: 'message.retried',
        reason: 'Template 7 restored in Customer.io',
        actor: `staff:${member.id}`,
        actor_label: member.email,
        license_id: account.license.id,
        before: expect.objectContaining({ status: 'FAILED', last_error: 'Customer.io answered 422: unknown template', event: 'license_issued' }),
        after: { status: 'PENDING' },
      }),
    ]);
  });

  it('refuses what may not be retried, changing nothing: a message still pending or sent, no reason, an unknown id, a read-only member', async () => {
    const account = await seedAccount(stack);
    const message = await settled(account.license.id);
    await stack.db.orm.em.execute(`update outbox_message set status = 'SENT', provider_message_id = 'cio-1' where id = ?`, [message.id]);
    const sent = await stack.request('POST', `/v1/messages/${message.id}/retry`, { body: { reason: 'again' } });
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({ code: 'MESSAGE_NOT_RETRYABLE', detail: expect.stringContaining('this message is SENT') });
    await stack.db.orm.em.execute(`update outbox_message set status = 'PENDING' where id = ?`, [message.id]);
    expect((await stack.request('POST', `/v1/messages/${message.id}/retry`, { body: { reason: 'again' } })).body.code).toBe('MESSAGE_NOT_RETRYABLE');
    await stack.db.orm.em.execute(`update outbox_message set status = 'FAILED' where id = ?`, [message.id]);
    const blank = await stack.request('POST', `/v1/messages/${message.id}/retry`, { body: { reason: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0].field).toBe('reason');
    expect((await stack.request('POST', '/v1/messages/00000000-0000-4000-8000-000000000000/retry', { body: { reason: 'x' } })).body.code).toBe('MESSAGE_NOT_FOUND');
    const { browser } = await signedIn(stack, 'read_only');
    expect((await browser.request('POST', `/v1/messages/${message.id}/retry`, { body: { reason: 'x' } })).status).toBe(403);
    expect((await messageOf(account.license.id))!.status).toBe('FAILED');
    const trail = await stack.request('GET', `/v1/audit-events?target_type=outbox_message&target_id=${message.id}`);
    expect(trail.body.data).toEqual([]);
  });
});
