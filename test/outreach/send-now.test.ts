import { messageWorkflowId } from '../../workflows/message-delivery.workflow.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { insertLicense } from '../support/licenses.ts';
import { startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';
import { eventually } from '../support/poll.ts';
import { signedIn } from '../support/staff.ts';
import type { Fault } from '../support/fake-providers.ts';

const HOUR_S = 3_600;

/**
 * Staff's "send now" (POST /v1/messages/{id}/send-now) against the real stack and a local
 * Customer.io: a delivery told by the provider to come back in an hour (Retry-After) waits on a
 * durable timer, or in the delivery activity's backoff; asked to send now, it takes a new send
 * time and sends at once, and the provider records the event once.
 */
describe('outbox: sending a pending message now', () => {
  let outreachStack: OutreachStack;
  let stack: OutreachStack['stack'];
  let cio: OutreachStack['cio'];

  beforeAll(async () => {
    outreachStack = await startOutreachStack();
    ({ stack, cio } = outreachStack);
  });
  afterAll(async () => {
    await outreachStack?.close();
  });

  /** The delivery is waiting an hour: on a timer (after the first send), or in the activity's backoff. */
  const waitingAnHour = (outboxId: string, where: 'timer' | 'backoff') =>
    eventually(
      async () => {
        const handle = stack.temporal.workflow.getHandle(messageWorkflowId(outboxId));
        if (where === 'timer') {
          const events = (await handle.fetchHistory()).events ?? [];
          const timer = events.findLast((event) => event.timerStartedEventAttributes)?.timerStartedEventAttributes;
          return timer && Number(timer.startToFireTimeout?.seconds ?? 0) >= HOUR_S - 60 ? true : undefined;
        }
        const [pending] = (await handle.describe()).raw.pendingActivities ?? [];
        const next = pending?.nextAttemptScheduleTime?.seconds;
        return next && Number(next) * 1000 - Date.now() > 30 * 60_000 ? true : undefined;
      },
      { what: `the delivery waiting an hour (${where})`, timeoutMs: 30_000 },
    );

  it.each<[string, 'timer' | 'backoff', Fault[]]>([
    ['on a timer, after its first send met a Retry-After of an hour', 'timer', [{ status: 503, retryAfter: String(HOUR_S) }]],
    ['in the activity\u2019s backoff, after a retry met a Retry-After of an hour', 'backoff', [{ status: 500 }, { status: 503, retryAfter: String(HOUR_S) }]],
  ])('ends a wait %s, sends once, and audits who asked and why', async (_name, where, faults) => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret);
    cio.fail('track', ...faults);
    await outreachStack.activities.recordNotification({ licenseId: license.id, event: 'payment_failed', idempotencyKey: `${license.id}:payment_failed:${where}`, data: { failed_at: new Date().toISOString() } });
    const [row] = await outreachStack.rows(license.id);
    await waitingAnHour(row!.id, where);
    expect((await outreachStack.rows(license.id))[0]!.status).toBe('PENDING');

    const { browser, account: member } = await signedIn(stack, 'support');
    const asked = await browser.request('POST', `/v1/messages/${row!.id}/send-now`, { body: { reason: 'Customer.io is back; the customer is waiting' } });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ id: row!.id });

    const sent = await outreachStack.settled(license.id, 'payment_failed', { timeoutMs: 30_000 });
    expect(sent).toMatchObject({ status: 'SENT', lastError: null });
    // Sent once: one request the provider accepted (it would drop a repeated event id, so the events list alone cannot tell).
    expect(cio.received('track').filter((request) => request.body?.id === sent.providerMessageId && request.status === 200)).toHaveLength(1);
    const events = (await stack.temporal.workflow.getHandle(messageWorkflowId(row!.id)).fetchHistory()).events ?? [];
    const acceptedAt = events.findIndex((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
    expect(acceptedAt).toBeGreaterThan(0);
    if (where === 'backoff') {
      // The activity in its backoff was cancelled, and cancelled before the next send: never two sends at once.
      const canceled = events.findIndex((event) => event.activityTaskCanceledEventAttributes);
      const lastSend = events.findLastIndex((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      expect(canceled).toBeGreaterThan(acceptedAt);
      expect(lastSend).toBeGreaterThan(canceled);
    }
    if (where === 'backoff') await recordHistory(stack.temporal, messageWorkflowId(row!.id), 'message-delivery-send-now');
    const trail = await stack.request('GET', `/v1/audit-events?target_type=outbox_message&target_id=${row!.id}`);
    expect(trail.body.data).toEqual([
      expect.objectContaining({ action: 'message.send_requested', reason: 'Customer.io is back; the customer is waiting', actor: `staff:${member.id}`, license_id: license.id, before: expect.objectContaining({ status: 'PENDING' }), after: { status: 'PENDING' } }),
    ]);
  });

  it('starts the delivery of a pending message that has none, and refuses a message that does not wait, changing nothing', async () => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret);
    // Recorded, its delivery never started (as when Temporal was unreachable then).
    await stack.db.orm.em.fork().execute(
      `insert into outbox_message (id, license_id, event, channel, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
       select gen_random_uuid(), l.id, 'payment_failed', 'customerio', ?, c.email, '{}', 'PENDING', 0, now(), now() from license l join customer c on c.id = l.customer_id where l.id = ?`,
      [`${license.id}:payment_failed:orphan`, license.id],
    );
    const [row] = await outreachStack.rows(license.id);
    expect((await stack.request('POST', `/v1/messages/${row!.id}/send-now`, { body: { reason: 'never started' } })).status).toBe(202);
    const sent = await outreachStack.settled(license.id, 'payment_failed', { timeoutMs: 30_000 });
    expect(sent.status).toBe('SENT');

    const again = await stack.request('POST', `/v1/messages/${row!.id}/send-now`, { body: { reason: 'once more' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'MESSAGE_NOT_PENDING', detail: expect.stringContaining('this message is SENT') });
    const blank = await stack.request('POST', `/v1/messages/${row!.id}/send-now`, { body: { reason: ' ' } });
    expect(blank.status).toBe(400);
    expect((await stack.request('POST', '/v1/messages/00000000-0000-4000-8000-000000000000/send-now', { body: { reason: 'x' } })).body.code).toBe('MESSAGE_NOT_FOUND');
    const { browser } = await signedIn(stack, 'read_only');
    expect((await browser.request('POST', `/v1/messages/${row!.id}/send-now`, { body: { reason: 'x' } })).status).toBe(403);
    const trail = await stack.request('GET', `/v1/audit-events?target_type=outbox_message&target_id=${row!.id}`);
    expect(trail.body.data.map((event: { action: string }) => event.action)).toEqual(['message.send_requested']);
  });
});
