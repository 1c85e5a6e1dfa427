import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities/index.ts';
import { ValidationCounter } from '../../api/validation/validation-counter.ts';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';
import { messageWorkflowId } from '../../workflows/message-delivery.workflow.ts';
import { messageEventId } from '../../outreach/event-ulid.ts';
import { queueMessage } from '../../domain/outbox/queue-message.ts';
import { reserveSendTime } from '../../outreach/rate-budget.ts';
import { CrmRenewalTask } from '../../schema/entities.ts';
import type { OutboxMessageEntity } from '../../schema/outbox/outbox-message.entity.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { insertLicense } from '../support/licenses.ts';
import { OUTREACH_RETRY as RETRY, startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { testLogger } from '../support/temporal.ts';

const DAY = 86_400_000;

describe('outreach: messages delivered through Customer.io and HubSpot (local provider servers, real clients)', () => {
  let outreachStack: OutreachStack;
  let stack: ApiStack;
  let cio: OutreachStack['cio'];
  let hub: OutreachStack['hub'];
  let activities: OutreachStack['activities'];

  beforeAll(async () => {
    outreachStack = await startOutreachStack();
    ({ stack, cio, hub, activities } = outreachStack);
  });
  afterAll(async () => {
    await outreachStack?.close();
  });

  const rows = (licenseId: string) => outreachStack.rows(licenseId);
  const settled = (licenseId: string, event: string) => outreachStack.settled(licenseId, event);
  const enterpriseLicense = (expiresInDays: number) => outreachStack.enterpriseLicense(expiresInDays);
  /** The history of a message's delivery workflow, once it has finished. */
  const finishedDelivery = async (outboxId: string) => {
    const handle = stack.temporal.workflow.getHandle(messageWorkflowId(outboxId));
    await handle.result();
    return (await handle.fetchHistory()).events ?? [];
  };
  /** The Customer.io id of a customer (ours): the Track API's paths carry it. */
  const customerIdOf = async (email: string) => (await stack.db.orm.em.fork().execute<{ id: string }[]>(`select id from customer where email = ?`, [email]))[0]!.id;

  it('tracks a 90-day renewal reminder once, and opens one HubSpot renewal task with terms and usage, updated on renewal', async () => {
    const { license, customerEmail, plan } = await enterpriseLicense(90);
    const em = stack.db.orm.em.fork();
    for (const [fingerprint, daysAgo] of [['laptop', 10], ['desktop', 60]] as const) {
      const seen = new Date(Date.now() - daysAgo * DAY);
      await em.execute(`insert into activation (id, license_id, fingerprint, kind, first_seen_at, last_seen_at) values (?, ?, ?, 'MACHINE', ?, ?)`, [randomUUID(), license.id, fingerprint, seen, seen]);
    }
    const counter = new ValidationCounter(stack.db.orm.em);
    for (let i = 0; i < 5; i += 1) counter.count(license.id);
    await counter.close();

    const expiresAt = license.expiresAt!.toISOString();
    const reminder = { licenseId: license.id, event: 'renewal_reminder', idempotencyKey: `${license.id}:renewal_reminder:${expiresAt}:90`, data: { days_before: 90, expires_at: expiresAt } };
    const first = await activities.recordNotification(reminder);
    const again = await activities.recordNotification(reminder);
    expect([first.recorded, again.recorded, again.id]).toEqual([true, false, first.id]);

    const tracked = await settled(license.id, 'renewal_reminder');
    const task = await settled(license.id, 'renewal_task');
    // The outcome, not the attempts it took (a loaded machine may time one out and retry):
    // one event tracked, one task opened, each with the right content.
    expect(tracked).toMatchObject({ status: 'SENT', channel: 'customerio', recipient: customerEmail, lastError: null });
    expect(tracked.providerMessageId).toBe(messageEventId(tracked.id, tracked.createdAt));
    expect(task).toMatchObject({ status: 'SENT', channel: 'hubspot', lastError: null, providerMessageId: expect.stringMatching(/^\d+$/) });

    const customerId = (await em.execute<{ id: string }[]>(`select id from customer where email = ?`, [customerEmail]))[0]!.id;
    expect(cio.people.get(customerId)).toMatchObject({ email: customerEmail, plan: plan.code, status: 'ACTIVE', seats: 10, expires_at: Math.floor(license.expiresAt!.getTime() / 1000) });
    const events = cio.events.filter((e) => e.customerId === customerId);
    expect(events).toEqual([
      expect.objectContaining({
        name: 'renewal_reminder',
        id: tracked.providerMessageId,
        data: expect.objectContaining({
          days_before: 90,
          expires_at: expiresAt,
          renewal_url: `https://billing.example.com/renew?license=${license.id}`,
          customer: { id: customerId, email: customerEmail, name: 'Ada Lovelace' },
          plan: expect.objectContaining({ tier: 'enterprise', seats: 10 }),
        }),
      }),
    ]);

    const created = hub.tasks.get(task.providerMessageId!)!;
    expect(hub.tasks.size).toBe(1);
    expect(created.properties).toMatchObject({ hubspot_owner_id: '777', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH' });
    expect(created.properties.hs_task_body).toContain('Seat utilization: 2 of 10 (20%)');
    expect(created.properties.hs_task_body).toContain('Activations: 1 in the last 30 days, 2 in the last 90.');
    expect(created.properties.hs_task_body).toContain('Validations: 5 in the last 30 days, 5 in the last 90.');
    expect(created.properties.hs_task_body).toContain(`expires ${expiresAt.slice(0, 10)}`);
    expect(created.associations).toEqual([
      { to: { id: '501' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
      { to: { id: '601' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] },
    ]);
    expect(hub.received('create_task').every((r) => r.headers.authorization === 'Bearer pat-na1-test')).toBe(true);

    // Renewed: the same task is updated with the new terms and completed, never duplicated.
    const renewedUntil = new Date(license.expiresAt!.getTime() + 365 * DAY).toISOString();
    await activities.applyLicenseChange({ licenseId: license.id, patch: { status: 'ACTIVE', expiresAt: renewedUntil }, action: 'license.renewed', actor: 'test', reason: 'paid' });
    const update = await settled(license.id, 'renewal_task_update');
    expect(update).toMatchObject({ status: 'SENT', providerMessageId: task.providerMessageId });
    expect(hub.tasks.size).toBe(1);
    expect(created.properties.hs_task_status).toBe('COMPLETED');
    expect(created.properties.hs_task_body).toContain(`expires ${renewedUntil.slice(0, 10)}`);
    const kept = await em.findOneOrFail(CrmRenewalTask, { license: license.id });
    expect(kept).toMatchObject({ hubspotTaskId: task.providerMessageId, terms: { expiresAt: renewedUntil, seats: 10 } });
  });

  it('updates the renewal task when the license is revoked, so the owner does not chase a dead renewal', async () => {
    const { license } = await enterpriseLicense(90);
    const expiresAt = license.expiresAt!.toISOString();
    await activities.recordNotification({ licenseId: license.id, event: 'renewal_reminder', idempotencyKey: `${license.id}:renewal_reminder:${expiresAt}:90`, data: { days_before: 90, expires_at: expiresAt } });
    const task = await settled(license.id, 'renewal_task');
    const tasksBefore = hub.tasks.size;
    await activities.revokeLicense({ licenseId: license.id, actor: 'admin:cs', reason: 'chargeback' });
    const update = await settled(license.id, 'renewal_task_update');
    expect(update).toMatchObject({ status: 'SENT', providerMessageId: task.providerMessageId });
    expect(hub.tasks.size).toBe(tasksBefore);
    expect(hub.tasks.get(task.providerMessageId!)!.properties.hs_task_body).toContain('status REVOKED');
  });

  it('creates the HubSpot task once when its answer is lost, and waits out a 429 (Retry-After)', async () => {
    const { license } = await enterpriseLicense(90);
    hub.fail('company', { status: 429, retryAfter: '1' });
    hub.fail('create_task', { lose: true });
    const tasksBefore = hub.tasks.size;
    const expiresAt = license.expiresAt!.toISOString();
    await activities.recordNotification({ licenseId: license.id, event: 'renewal_reminder', idempotencyKey: `${license.id}:renewal_reminder:${expiresAt}:90`, data: { days_before: 90, expires_at: expiresAt } });
    const task = await settled(license.id, 'renewal_task');
    // One attempt meets the rate limit, one creates the task but loses the answer, a later one finds it by its
    // reference (a loaded machine may add timed-out attempts): one task, whatever the attempts.
    expect(task).toMatchObject({ status: 'SENT', lastError: null });
    expect(task.attempts).toBeGreaterThanOrEqual(3);
    expect(hub.tasks.size).toBe(tasksBefore + 1);
    expect(hub.tasks.get(task.providerMessageId!)!.properties.hs_task_body).toContain(`keywarden-${task.id}`);
    expect(hub.received('search_tasks').length).toBeGreaterThanOrEqual(1);
  });

  it('retries through 500, 429 (after its Retry-After) and a timeout, then records the event once as SENT', async () => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret);
    cio.fail('track', { status: 500 }, { status: 429, retryAfter: '2' }, { hang: true });
    const before = cio.received('track').length;
    await activities.recordNotification({ licenseId: license.id, event: 'payment_failed', idempotencyKey: `${license.id}:payment_failed:evt_1`, data: { failed_at: new Date().toISOString() } });
    const row = await settled(license.id, 'payment_failed');
    // Each fault fails one attempt, then one succeeds (more if the machine is slow): one event, under one id.
    expect(row).toMatchObject({ status: 'SENT', lastError: null });
    expect(row.attempts).toBeGreaterThanOrEqual(4);
    const attempts = cio.received('track').slice(before);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(attempts.map((a) => a.body.id))).toEqual(new Set([row.providerMessageId]));
    expect(cio.events.filter((e) => e.id === row.providerMessageId)).toHaveLength(1);
    // The 429 (the second request) was waited out: once the delivery has read it, the next try comes no sooner than its Retry-After.
    const read429 = outreachStack.deliveryWarnings.some((warning) => warning.outboxId === row.id && warning.status === 429);
    if (read429) expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1_900);
    await recordHistory(stack.temporal, messageWorkflowId(row.id), 'message-delivery-retries');
  });

  it('sends from the delivery\'s first workflow task (a local activity): a message the provider takes at once schedules no activity task', async () => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret);
    await activities.recordNotification({ licenseId: license.id, event: 'payment_failed', idempotencyKey: `${license.id}:payment_failed:evt_local`, data: { failed_at: new Date().toISOString() } });
    const row = await settled(license.id, 'payment_failed');
    expect(row).toMatchObject({ status: 'SENT', lastError: null });
    const events = await finishedDelivery(row.id);
    const markers = events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    // Two local activities (the send time, then the send), and not one activity task.
    expect(markers).toHaveLength(2);
    expect(events.filter((event) => event.activityTaskScheduledEventAttributes)).toHaveLength(0);
    expect(cio.events.filter((e) => e.id === row.providerMessageId)).toHaveLength(1);
  });

  it('waits for a send time a moment away inside its first send, not on a timer, and sends no sooner', async () => {
    const { license } = await insertLicense(stack.db.orm.em, stack.secret);
    // Other deliveries have reserved the Track API's next 240 ms (24 requests at 100 a second).
    await reserveSendTime(stack.db.orm.em, [{ budget: 'customerio-track', requests: 24, perSecond: 100 }], false);
    const [budget] = await stack.db.orm.em.fork().execute<{ next_at: Date }[]>(`select next_at from provider_rate_budget where name = 'customerio-track'`);
    const freeAt = new Date(budget!.next_at).getTime();
    await activities.recordNotification({ licenseId: license.id, event: 'payment_failed', idempotencyKey: `${license.id}:payment_failed:evt_soon`, data: { failed_at: new Date().toISOString() } });
    const row = await settled(license.id, 'payment_failed');
    expect(row).toMatchObject({ status: 'SENT', lastError: null });
    const events = await finishedDelivery(row.id);
    expect(events.filter((event) => event.timerStartedEventAttributes || event.activityTaskScheduledEventAttributes)).toHaveLength(0);
    // Its requests went once the reserved time had come (the clock's rounding aside).
    const requests = cio.received('track').filter((request) => request.body?.id === row.providerMessageId);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(freeAt - 5);
  });

  it('sends no sooner than the wait a delivery is given', async () => {
    const { license, customerEmail } = await insertLicense(stack.db.orm.em, stack.secret);
    // Recorded without starting a delivery (as the sweep would find it), then sent here.
    const { id } = await queueMessage({ em: stack.db.orm.em }, { licenseId: license.id, event: 'payment_failed', channel: 'customerio', idempotencyKey: `${license.id}:payment_failed:evt_wait`, data: {} });
    const calledAt = Date.now();
    await expect(activities.deliverMessage({ outboxId: id!, rateLimited: 'return', waitMs: 200 })).resolves.toEqual({ status: 'SENT' });
    const customerId = await customerIdOf(customerEmail);
    const requests = [...cio.received('identify'), ...cio.received('track')].filter((request) => request.path.includes(customerId));
    expect(requests).toHaveLength(2);
    for (const request of requests) expect(request.at - calledAt).toBeGreaterThanOrEqual(200);
  });

  it('gives up at once on a rejection (4xx), and after the last retry on an outage, recording FAILED with the error', async () => {
    // Every request about the customer is refused (or fails), however many attempts a slow machine makes.
    const rejected = await insertLicense(stack.db.orm.em, stack.secret);
    const refusing = cio.failWhile('track', await customerIdOf(rejected.customerEmail), { status: 400 });
    await activities.recordNotification({ licenseId: rejected.license.id, event: 'license_suspended', idempotencyKey: `${rejected.license.id}:license_suspended:x`, data: {} });
    // Given up on the rejection itself, not by running out of retries (that would read "gave up after …").
    expect(await settled(rejected.license.id, 'license_suspended')).toMatchObject({ status: 'FAILED', lastError: expect.stringMatching(/^Customer.io answered HTTP 400/) });
    refusing();

    const down = await insertLicense(stack.db.orm.em, stack.secret);
    const failing = cio.failWhile('track', await customerIdOf(down.customerEmail), { status: 503 });
    const { id } = await activities.recordNotification({ licenseId: down.license.id, event: 'license_expired', idempotencyKey: `${down.license.id}:license_expired:x`, data: {} });
    const failed = await settled(down.license.id, 'license_expired');
    // Exactly the policy's attempts, each counted once when it starts (a timed-out one too).
    expect(failed).toMatchObject({ status: 'FAILED', attempts: RETRY.maximumAttempts, lastError: expect.stringMatching(/^gave up after 5 attempt\(s\): Customer.io/) });
    await expect(stack.temporal.workflow.getHandle(`message-${id}`).result()).resolves.toEqual({ status: 'FAILED' });
    failing();
  });

  it('emails the key on issuance from its encrypted copy, never putting it in the outbox or workflow history; notify: false sends nothing', async () => {
    const plan = await createPlan(stack, { term_kind: 'DURATION', term_days: 365, seat_limit: 3 });
    const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
    const created = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email, name: 'Grace' } } });
    expect(created.status).toBe(201);
    const row = await settled(created.body.id, 'license_issued');
    expect(row).toMatchObject({ status: 'SENT', recipient: email, providerMessageId: expect.stringMatching(/^dlv_/) });
    const sent = cio.emails.find((e) => e.to === email);
    expect(sent).toMatchObject({ transactional_message_id: '7', identifiers: { id: created.body.customer_id }, disable_message_retention: true, message_data: expect.objectContaining({ license_key: created.body.key, plan: expect.objectContaining({ code: plan.code, seats: 3 }) }) });
    expect(cio.received('send_email').at(-1)!.headers.authorization).toBe('Bearer app-key');
    expect(JSON.stringify(row.payload)).not.toContain(created.body.key);
    const history = await stack.temporal.workflow.getHandle(messageWorkflowId(row.id)).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(created.body.key);
    const listed = await stack.request('GET', `/v1/licenses/${created.body.id}/messages`);
    expect(listed.body.data).toEqual([expect.objectContaining({ event: 'license_issued', status: 'SENT', last_error: null })]);

    const quiet = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email }, notify: false } });
    expect(quiet.status).toBe(201);
    expect(await rows(quiet.body.id)).toEqual([]);
  });

  it('records messages NOT_SENT, readable over the API, when no provider is configured', async () => {
    const { license } = await enterpriseLicense(90);
    const unconfigured = createActivities({ em: stack.db.orm.em, logger: testLogger, lifecycle: stack.lifecycle, outreach: OUTREACH_WITHOUT_PROVIDERS });
    const queued = await queueMessage({ em: stack.db.orm.em }, { licenseId: license.id, event: 'trial_ending', channel: 'customerio', idempotencyKey: `${license.id}:trial:1`, data: { days_before: 3 } });
    const task = await queueMessage({ em: stack.db.orm.em }, { licenseId: license.id, event: 'renewal_task', channel: 'hubspot', idempotencyKey: `${license.id}:task:1`, data: { days_before: 90 } });
    expect(await unconfigured.deliverMessage({ outboxId: queued.id! })).toEqual({ status: 'NOT_SENT' });
    expect(await unconfigured.deliverMessage({ outboxId: task.id! })).toEqual({ status: 'NOT_SENT' });
    const page = await stack.request('GET', `/v1/messages?license_id=${license.id}&status=NOT_SENT`);
    expect(page.body.data.map((m: Record<string, unknown>) => [m.event, m.channel, m.attempts, m.last_error])).toEqual([
      ['renewal_task', 'hubspot', 0, expect.stringContaining('HUBSPOT_ACCESS_TOKEN')],
      ['trial_ending', 'customerio', 0, expect.stringContaining('CUSTOMERIO_SITE_ID')],
    ]);
    const row = (await rows(license.id)).find((m) => m.event === 'trial_ending') as OutboxMessageEntity;
    expect(row.recipient).toMatch(/@example\.com$/);
  });
});
