import { randomUUID } from 'node:crypto';
import { sendOutboxMessageNow, type MessageSendNow } from '../../domain/outbox/send-outbox-message-now.ts';
import { Refusal } from '../../domain/refusal.ts';
import type { Acting } from '../../domain/staff/staff-deps.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';

/**
 * The "send now" operation on real Postgres, its delivery answering as Temporal would (the
 * workflow's own refusal is tested end to end in test/outreach/send-now.test.ts): the ask is on
 * the trail before the delivery is asked, and a refusal or an outage adds why.
 */
describe('sending a pending message now (the operation)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const acting: Acting = { actor: { type: 'staff', id: randomUUID(), label: 'sam@example.com' }, label: 'staff:sam@example.com', origin: { ip: '203.0.113.9', userAgent: 'Console' } };
  async function pendingMessage(): Promise<string> {
    const { license } = await insertLicense(db.orm.em, testSecret());
    const id = randomUUID();
    await db.orm.em.fork().execute(
      `insert into outbox_message (id, license_id, event, channel, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
       values (?, ?, 'payment_failed', 'customerio', ?, 'ada@example.com', '{}', 'PENDING', 2, now(), now())`,
      [id, license.id, `k-${id}`],
    );
    return id;
  }
  const trail = async (id: string) =>
    (await db.orm.em.fork().execute<{ action: string; reason: string }[]>(`select action, reason from audit_event where target_id = ? order by created_at, action desc`, [id])).map((row) => [row.action, row.reason]);

  it('records the ask, then the delivery\u2019s refusal with its reason, and answers MESSAGE_CANNOT_SEND_NOW', async () => {
    const id = await pendingMessage();
    const refusing: MessageSendNow = { sendDeliveryNow: async () => ({ outcome: 'refused', why: 'this delivery is giving up' }) };
    const failure = await sendOutboxMessageNow({ em: db.orm.em, deliveries: refusing }, id, 'customer waiting', acting).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Refusal);
    expect(failure).toMatchObject({ code: 'MESSAGE_CANNOT_SEND_NOW', message: 'this delivery is giving up' });
    expect(await trail(id)).toEqual([['message.send_requested', 'customer waiting'], ['message.send_request_failed', 'this delivery is giving up']]);
  });

  it('records the ask, and the outage, when Temporal does not answer', async () => {
    const id = await pendingMessage();
    const down: MessageSendNow = { sendDeliveryNow: async () => { throw new Error('14 UNAVAILABLE'); } };
    await expect(sendOutboxMessageNow({ em: db.orm.em, deliveries: down }, id, 'customer waiting', acting)).rejects.toThrow('14 UNAVAILABLE');
    expect(await trail(id)).toEqual([['message.send_requested', 'customer waiting'], ['message.send_request_failed', 'the delivery could not be asked (the lifecycle engine did not answer)']]);
  });
});
