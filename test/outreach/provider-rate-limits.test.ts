import { randomUUID } from 'node:crypto';
import { messageWorkflowId } from '../../workflows/message-delivery.workflow.ts';
import { pauseBudgets, reserveSendTime } from '../../outreach/rate-budget.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { insertLicense } from '../support/licenses.ts';
import { startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';
import { eventually } from '../support/poll.ts';

const DAY = 86_400_000;

/**
 * Deliveries respect each provider's rate limit, shared by every worker through Postgres: a
 * message reserves its requests' send time and waits for it on a durable timer (in Temporal,
 * not in a worker's memory); a 429 pauses the provider for every delivery until its Retry-After.
 * Customer.io here allows 2 requests per second, so a reminder (identify + track) takes half a
 * second of its budget. Outcomes are asserted (each message sent once, with its content), and
 * times only where the design guarantees a lower bound whatever the load.
 */
describe('provider rate limits: bursts wait in Temporal, each message is sent once', () => {
  let outreach: OutreachStack;

  beforeAll(async () => {
    outreach = await startOutreachStack({ rateLimits: { customerio: 2, hubspot: 1 } });
  });
  afterAll(async () => {
    await outreach?.close();
  });

  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) => outreach.stack.db.orm.em.fork().execute<T[]>(query, params);
  /** A provider API's budget: its frontiers and pause, in epoch milliseconds. */
  const budget = async (name: string) => {
    const [row] = await sql<{ next_at: string; urgent_next_at: string; paused_until: string }>('select * from provider_rate_budget where name = ?', [name]);
    return { nextAt: Date.parse(row!.next_at), urgentNextAt: Date.parse(row!.urgent_next_at), pausedUntil: Date.parse(row!.paused_until) };
  };
  const historyOf = async (outboxId: string) => (await outreach.stack.temporal.workflow.getHandle(messageWorkflowId(outboxId)).fetchHistory()).events ?? [];
  const timersOf = async (outboxId: string) => (await historyOf(outboxId)).filter((event) => event.timerStartedEventAttributes);
  const reminder = (licenseId: string, expiresAt: string, daysBefore: number) => ({
    licenseId,
    event: 'renewal_reminder',
    idempotencyKey: `${licenseId}:renewal_reminder:${expiresAt}:${daysBefore}`,
    data: { days_before: daysBefore, expires_at: expiresAt },
  });

  it('delivers a burst of reminders once each, waiting on durable timers for send times spaced by the limit', async () => {
    const before = Date.now();
    const licenses = await Promise.all(Array.from({ length: 8 }, () => insertLicense(outreach.stack.db.orm.em, outreach.stack.secret, { expiresAt: new Date(Date.now() + 7 * DAY) })));
    const recorded = await Promise.all(licenses.map(({ license }) => outreach.activities.recordNotification(reminder(license.id, license.expiresAt!.toISOString(), 7))));
    const ids = recorded.map((r) => r.id!);

    const rows = await eventually(async () => {
      const all = await sql<{ id: string; status: string; provider_message_id: string; recipient: string }>(`select id, status, provider_message_id, recipient from outbox_message where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
      return all.length === ids.length && all.every((row) => row.status !== 'PENDING') ? all : undefined;
    }, { timeoutMs: 60_000, what: 'the burst to be delivered' });
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => 'SENT'));

    // Each reminder reached Customer.io exactly once, for its customer, with its content.
    for (const row of rows) {
      const tracked = outreach.cio.events.filter((event) => event.id === row.provider_message_id);
      expect(tracked).toEqual([expect.objectContaining({ name: 'renewal_reminder', data: expect.objectContaining({ days_before: 7, customer: expect.objectContaining({ email: row.recipient }) }) })]);
    }
    // Eight reminders of two requests at 2 per second: the budget was reserved 8 s ahead of the burst's start, at least.
    expect((await budget('customerio-track')).nextAt - before).toBeGreaterThanOrEqual(8_000);
    // The later ones waited on a timer (a durable one: in Temporal's history, not a worker's memory).
    const waited = await Promise.all(ids.map(async (id) => (await timersOf(id)).length > 0));
    expect(waited.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('pauses the provider for every delivery when it answers 429, and sends the message again only after its Retry-After', async () => {
    const { license } = await insertLicense(outreach.stack.db.orm.em, outreach.stack.secret, { expiresAt: new Date(Date.now() + 30 * DAY) });
    outreach.cio.fail('track', { status: 429, retryAfter: '3' });
    const before = outreach.cio.received('track').length;
    const { id } = await outreach.activities.recordNotification(reminder(license.id, license.expiresAt!.toISOString(), 30));
    const row = await outreach.settled(license.id, 'renewal_reminder', { timeoutMs: 60_000 });
    expect(row).toMatchObject({ status: 'SENT', lastError: null });
    const sent = outreach.cio.received('track').slice(before).filter((request) => request.body?.id === row.providerMessageId);
    const refusedAt = sent[0]!.at;
    // The pause every worker sees: until the Retry-After, from when the 429 came.
    expect((await budget('customerio-track')).pausedUntil).toBeGreaterThanOrEqual(refusedAt + 3_000 - 50);
    // The message itself went again only once the pause was over, and Customer.io has it once.
    expect(sent.at(-1)!.at - refusedAt).toBeGreaterThanOrEqual(3_000 - 50);
    expect(outreach.cio.events.filter((event) => event.id === row.providerMessageId)).toHaveLength(1);
    expect((await historyOf(id!)).some((event) => event.timerStartedEventAttributes)).toBe(true);
  });

  it('reserves send times spaced by requests ÷ limit, after a pause, and lets urgent messages ahead while pushing the bulk back', async () => {
    const em = outreach.stack.db.orm.em;
    const spend = [{ budget: 'hubspot' as const, requests: 3, perSecond: 1 }];
    const start = Date.now();
    for (let i = 0; i < 4; i += 1) await reserveSendTime(em, spend, false);
    const afterBulk = await budget('hubspot');
    expect(afterBulk.nextAt - start).toBeGreaterThanOrEqual(12_000 - 50);

    const urgentWait = await reserveSendTime(em, spend, true);
    const afterUrgent = await budget('hubspot');
    expect(urgentWait).toBeLessThan(afterBulk.nextAt - Date.now());
    // The bulk frontier moved back by exactly the urgent message's cost.
    expect(afterUrgent.nextAt - afterBulk.nextAt).toBe(3_000);

    await pauseBudgets(em, ['hubspot'], 60_000);
    const paused = await budget('hubspot');
    const wait = await reserveSendTime(em, spend, true);
    expect(wait).toBeGreaterThanOrEqual(paused.pausedUntil - Date.now() - 50);
  });

  // Last: it leaves the Track API reserved for two minutes.
  it('sends a new license key ahead of a burst of reminders already waiting', async () => {
    // A burst has reserved the Track API for the next two minutes.
    const em = outreach.stack.db.orm.em;
    for (let i = 0; i < 120; i += 1) await reserveSendTime(em, [{ budget: 'customerio-track', requests: 2, perSecond: 2 }], false);
    const { license } = await insertLicense(em, outreach.stack.secret, { expiresAt: new Date(Date.now() + 14 * DAY) });
    const queued = await outreach.activities.recordNotification(reminder(license.id, license.expiresAt!.toISOString(), 14));

    const plan = await createPlan(outreach.stack, { term_kind: 'DURATION', term_days: 365 });
    const email = `urgent-${randomUUID().slice(0, 8)}@example.com`;
    const created = await outreach.stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email } } });
    expect(created.status).toBe(201);
    const sent = await eventually(async () => outreach.cio.emails.find((e) => e.to === email), { timeoutMs: 30_000, what: 'the key email' });
    expect(sent.message_data.license_key).toBe(created.body.key);
    // The reminder still waits for its send time, on a timer.
    expect((await outreach.rows(license.id)).find((m) => m.event === 'renewal_reminder')?.status).toBe('PENDING');
    expect(await eventually(async () => ((await timersOf(queued.id!)).length ? true : undefined), { what: 'the reminder to wait on a timer' })).toBe(true);
  });
});
