import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiStack } from '../support/api-stack.ts';
import { client, createPlan } from '../support/api-fixtures.ts';
import { startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';
import { signedIn } from '../support/staff.ts';

/**
 * The key e-mail after a rotation and on request: the same transactional message as at issuance,
 * reading the key from its encrypted copy at delivery, so neither the outbox, the audit trail nor
 * the delivery's workflow history ever holds it.
 */
describe('key e-mails: a rotated key and a key sent again (local Customer.io, real worker)', () => {
  let outreachStack: OutreachStack;
  let stack: ApiStack;

  beforeAll(async () => {
    outreachStack = await startOutreachStack();
    ({ stack } = outreachStack);
  });
  afterAll(async () => {
    await outreachStack?.close();
  });

  async function issued() {
    const plan = await createPlan(stack, { term_kind: 'DURATION', term_days: 365, seat_limit: 3, deactivation_limit: 1, deactivation_period_days: 30 });
    const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
    const created = await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email, name: 'Grace' } } });
    expect(created.status).toBe(201);
    await outreachStack.settled(created.body.id, 'license_issued');
    return { id: created.body.id as string, key: created.body.key as string, email };
  }
  /** Everything stored about a license's messages and audit trail, and its deliveries' workflow histories. */
  async function everythingStored(id: string) {
    const em = stack.db.orm.em.fork();
    const outbox = await em.execute<{ id: string }[]>(`select * from outbox_message where license_id = ?`, [id]);
    const audit = await em.execute(`select * from audit_event where license_id = ?`, [id]);
    const histories = await Promise.all(outbox.map((row) => stack.temporal.workflow.getHandle(`message-${row.id}`).fetchHistory()));
    return JSON.stringify([outbox, audit, histories]);
  }

  it('e-mails the new key after a rotation, and the current key when asked again, never storing either', async () => {
    const { id, key, email } = await issued();
    const rotated = await stack.request('POST', `/v1/licenses/${id}/rotate-key`, { body: { reason: 'key shared in a public repository', overlap_seconds: 86_400 } });
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.key as string;
    const row = await outreachStack.settled(id, 'license_key_rotated');
    expect(row).toMatchObject({ status: 'SENT', recipient: email, payload: expect.objectContaining({ key_event: 'license_key_rotated', previous_key_hint: `KW-…-${key.slice(-4)}` }) });
    const sent = outreachStack.cio.emails.filter((e) => e.to === email);
    expect(sent.map((e) => e.message_data.license_key)).toEqual([key, newKey]);
    expect(sent[1]).toMatchObject({ transactional_message_id: '7', message_data: expect.objectContaining({ key_event: 'license_key_rotated', key_hint: `KW-…-${newKey.slice(-4)}` }) });

    // Support may send it again; it goes out with the license's current key.
    const { browser } = await signedIn(stack, 'support');
    const resent = await browser.request('POST', `/v1/licenses/${id}/resend-key`, { body: { reason: 'customer lost the e-mail' } });
    expect(resent).toMatchObject({ status: 202, body: { recipient: email, key_hint: `KW-…-${newKey.slice(-4)}`, email: { status: 'queued' } } });
    await outreachStack.settled(id, 'license_key_resent');
    expect(outreachStack.cio.emails.filter((e) => e.to === email).map((e) => e.message_data.license_key)).toEqual([key, newKey, newKey]);

    const audit = await stack.db.orm.em.fork().execute<{ action: string; actor: string; reason: string | null }[]>(`select action, actor, reason from audit_event where license_id = ? and action like 'license.key_%' order by created_at`, [id]);
    expect(audit).toEqual([
      { action: 'license.key_rotated', actor: expect.stringMatching(/^token:/), reason: 'key shared in a public repository' },
      { action: 'license.key_resent', actor: expect.stringMatching(/^staff:/), reason: 'customer lost the e-mail' },
    ]);
    const stored = await everythingStored(id);
    for (const secret of [key, newKey]) expect(stored).not.toContain(secret.slice(3));
  });

  it('refuses to send a key it cannot send, and leaves the outbox as it was', async () => {
    const { id } = await issued();
    await stack.db.orm.em.fork().execute(`update license set customer_id = null where id = ?`, [id]);
    const refused = await stack.request('POST', `/v1/licenses/${id}/resend-key`, { body: {} });
    expect([refused.status, refused.body.code]).toEqual([409, 'KEY_EMAIL_UNAVAILABLE']);
    expect((await outreachStack.rows(id)).map((m) => m.event)).toEqual(['license_issued']);
    const { browser } = await signedIn(stack, 'read_only');
    expect((await browser.request('POST', `/v1/licenses/${id}/resend-key`, { body: {} })).status).toBe(403);
  });

  it('resets every seat within the plan’s cap; beyond it only an admin may override, with the reason audited', async () => {
    const { id, key } = await issued();
    const fingerprints = ['a', 'b'].map((n) => `${n}-${randomBytes(2).toString('hex')}`);
    for (const fingerprint of fingerprints) expect((await client(stack, '/v1/activate', { key, fingerprint })).status).toBe(201);
    const { browser: support } = await signedIn(stack, 'support');
    // Two seats, a cap of one deactivation per 30 days: refused, nothing freed.
    const over = await support.request('POST', `/v1/licenses/${id}/reset-seats`, { body: { reason: 'fleet re-imaged' } });
    expect(over.body).toMatchObject({ status: 409, code: 'SEAT_RESET_OVER_CAP', cap: { seats: 2, limit: 1, used: 0, remaining: 1 } });
    const overridden = await support.request('POST', `/v1/licenses/${id}/reset-seats`, { body: { reason: 'fleet re-imaged', override_cap: true } });
    expect([overridden.status, overridden.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await client(stack, '/v1/validate', { key })).body.license.current_activations).toBe(2);

    const { browser: admin } = await signedIn(stack, 'admin');
    const reset = await admin.request('POST', `/v1/licenses/${id}/reset-seats`, { body: { reason: 'fleet re-imaged', override_cap: true } });
    expect(reset.body).toMatchObject({ current_activations: 0, reset: { freed: 2, cap_overridden: true, cap: { limit: 1, used: 0, remaining: 1 } } });
    expect((await client(stack, '/v1/validate', { key })).body.license.current_activations).toBe(0);
    expect((await client(stack, '/v1/validate', { key, fingerprint: fingerprints[0] })).body.code).toBe('NOT_ACTIVATED');

    // One seat again: within the cap, support may reset it; then the cap is spent.
    expect((await client(stack, '/v1/activate', { key, fingerprint: fingerprints[0] })).status).toBe(201);
    const within = await support.request('POST', `/v1/licenses/${id}/reset-seats`, { body: { reason: 'new laptop' } });
    expect(within.body).toMatchObject({ reset: { freed: 1, cap_overridden: false, cap: { used: 1, remaining: 0 } } });
    expect((await client(stack, '/v1/activate', { key, fingerprint: fingerprints[1] })).status).toBe(201);
    expect((await support.request('POST', `/v1/licenses/${id}/reset-seats`, { body: { reason: 'again' } })).body).toMatchObject({ code: 'SEAT_RESET_OVER_CAP', cap: { used: 1, remaining: 0 } });
    // One count for the cap: the reset spent it, so the software's own deactivation is refused too.
    const selfFree = await client(stack, '/v1/deactivate', { key, fingerprint: fingerprints[1] });
    expect([selfFree.status, selfFree.body.code]).toEqual([422, 'DEACTIVATION_LIMIT_REACHED']);

    const audit = await stack.db.orm.em.fork().execute<{ actor_label: string; reason: string; after: Record<string, unknown> }[]>(
      `select actor_label, reason, after from audit_event where license_id = ? and action = 'license.seats_reset' order by created_at`,
      [id],
    );
    expect(audit.map((a) => [a.reason, a.after.cap_overridden, a.after.seats_in_use])).toEqual([['fleet re-imaged', true, 0], ['new laptop', false, 0]]);
  });
});
