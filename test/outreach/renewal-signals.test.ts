import { randomUUID } from 'node:crypto';
import { startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';

const DAY = 86_400_000;

/** The renewal task and the renewal reminder carry real usage and the renewal's value. */
describe('renewal signals in the HubSpot task and the Customer.io reminder', () => {
  let outreach: OutreachStack;

  beforeAll(async () => {
    outreach = await startOutreachStack();
  });
  afterAll(async () => {
    await outreach?.close();
  });

  const sql = (query: string, params: unknown[]) => outreach.stack.db.orm.em.fork().execute(query, params);
  const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
  const remind = (licenseId: string, expiresAt: string) =>
    outreach.activities.recordNotification({
      licenseId,
      event: 'renewal_reminder',
      idempotencyKey: `${licenseId}:renewal_reminder:${expiresAt}:90`,
      data: { days_before: 90, expires_at: expiresAt },
    });

  it('values a Stripe-sold license at its subscription’s price × quantity, with seats, activation frequency and the validation trend', async () => {
    const { license } = await outreach.enterpriseLicense(90);
    // Sold through Stripe: 10 seats at 49.00 USD a year.
    const subscription = { id: `sub_${license.id.slice(0, 8)}`, items: { data: [{ quantity: 10, price: { id: 'price_ent', unit_amount: 4900, currency: 'usd', recurring: { interval: 'year', interval_count: 1 } } }] } };
    await sql(`update license set stripe_subscription_id = ? where id = ?`, [subscription.id, license.id]);
    await sql(
      `insert into stripe_event (id, type, stripe_created_at, livemode, payload, status, subscription_id, license_id, attempts, created_at, updated_at)
       values (?, 'customer.subscription.updated', now(), false, ?, 'PROCESSED', ?, ?, 1, now(), now())`,
      [`evt_${randomUUID()}`, JSON.stringify({ data: { object: subscription } }), subscription.id, license.id],
    );
    // 3 machines, 2 of them new this month; validations doubled against the month before.
    for (const [fingerprint, daysAgo] of [['a', 5], ['b', 12], ['c', 70]] as const) {
      const seen = new Date(Date.now() - daysAgo * DAY);
      await sql(`insert into activation (id, license_id, fingerprint, kind, first_seen_at, last_seen_at) values (?, ?, ?, 'MACHINE', ?, ?)`, [randomUUID(), license.id, fingerprint, seen, seen]);
    }
    for (const [offset, count] of [[-3, 12], [-20, 8], [-40, 6], [-50, 4]] as const) {
      await sql(`insert into license_validation_day (license_id, day, count) values (?, ?, ?)`, [license.id, day(offset), count]);
    }

    const expiresAt = license.expiresAt!.toISOString();
    await remind(license.id, expiresAt);
    const task = await outreach.settled(license.id, 'renewal_task');
    const body = outreach.hub.tasks.get(task.providerMessageId!)!.properties.hs_task_body!;
    expect(body).toContain('Seat utilization: 3 of 10 (30%)');
    expect(body).toContain('Activations: 2 in the last 30 days, 3 in the last 90.');
    expect(body).toContain('Activation frequency: 1 a month over the last 90 days.');
    expect(body).toContain('Validation trend: rising, 20 in the last 30 days against 10 in the 30 before (+100%)');
    expect(body).toContain('Renewal value: 490.00 USD per year (Stripe subscription: price × quantity).');

    const tracked = await outreach.settled(license.id, 'renewal_reminder');
    expect(tracked.status).toBe('SENT');
    const event = outreach.cio.events.find((e) => e.id === tracked.providerMessageId)!;
    expect(event.data).toMatchObject({
      usage: {
        seats_in_use: 3,
        seat_utilization: 0.3,
        activations_30d: 2,
        activations_90d: 3,
        activations_per_month: 1,
        validations_30d: 20,
        validations_previous_30d: 10,
        validation_change: 1,
        validation_trend: 'rising',
      },
      renewal_value: { amount: 490, currency: 'USD', period_months: 12, monthly: 40.83, source: 'stripe' },
    });
    expect(event.data.usage.validations_weekly).toHaveLength(12);
    expect(event.data.usage.validations_weekly.reduce((a: number, b: number) => a + b, 0)).toBe(12 + 8 + 6 + 4);
  });

  it('values a license sold by hand from its metadata, and says so when nothing is known', async () => {
    const { license } = await outreach.enterpriseLicense(90);
    await sql(`update license set metadata = '{"renewal_value": 1200, "currency": "eur"}' where id = ?`, [license.id]);
    await remind(license.id, license.expiresAt!.toISOString());
    const task = await outreach.settled(license.id, 'renewal_task');
    const body = outreach.hub.tasks.get(task.providerMessageId!)!.properties.hs_task_body!;
    expect(body).toContain('Renewal value: 1200.00 EUR per year (license metadata).');
    expect(body).toContain('Validation trend: none, 0 in the last 30 days against 0 in the 30 before');
    const tracked = await outreach.settled(license.id, 'renewal_reminder');
    expect(outreach.cio.events.find((e) => e.id === tracked.providerMessageId)!.data).toMatchObject({ renewal_value: { amount: 1200, currency: 'EUR', source: 'metadata' }, usage: { validation_trend: 'none' } });

    const { license: unknown } = await outreach.enterpriseLicense(90);
    await remind(unknown.id, unknown.expiresAt!.toISOString());
    const unknownTask = await outreach.settled(unknown.id, 'renewal_task');
    expect(outreach.hub.tasks.get(unknownTask.providerMessageId!)!.properties.hs_task_body).toContain('Renewal value: not known');
    const unknownTracked = await outreach.settled(unknown.id, 'renewal_reminder');
    expect(outreach.cio.events.find((e) => e.id === unknownTracked.providerMessageId)!.data.renewal_value).toBeNull();
  });
});
