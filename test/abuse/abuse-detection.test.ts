import { randomUUID } from 'node:crypto';
import type { abuseChecksWorkflow } from '../../workflows/abuse-checks.workflow.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { createLicense, createPlan } from '../support/api-fixtures.ts';
import { insertLicense } from '../support/licenses.ts';
import { eventually } from '../support/poll.ts';
import { addressesByCountry, seed, usageCall } from './seeded-traffic.ts';

/**
 * Seeded traffic through the abuse-checks workflow (on the dev server, at its own clock): each
 * pattern of the issue raises exactly its alert, normal traffic raises none, a second run merges
 * instead of raising again, and each plan's action runs (suspension through the license workflow);
 * then key sharing (three times the seats, or the plan's own number) and trials linked by a card.
 */
describe('abuse detection on seeded traffic', () => {
  // The API answers are checked against the OpenAPI document (this file owns the abuse operations).
  const contract = openApiContract();
  const { call } = contract;
  let stack: ApiStack;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ stack } = await contract.start());
  });
  afterAll(async () => {
    await contract.close();
  });

  const sql = <T = any>(query: string, params: unknown[] = []) => stack.db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const runChecks = () =>
    stack.temporal.workflow.execute<typeof abuseChecksWorkflow>('abuseChecksWorkflow', { workflowId: `abuse-checks-test-${randomUUID()}`, taskQueue: stack.taskQueue, args: [] });
  const license = async (policy: Record<string, unknown> = {}) => (await insertLicense(stack.db.orm.em, stack.secret, {}, { seatLimit: 5, ...policy })).license.id;
  async function trial(email: string) {
    const { license: row } = await insertLicense(stack.db.orm.em, stack.secret, { status: 'TRIALING', trialEndsAt: new Date(Date.now() + 14 * 86_400_000) } as never);
    await sql(`update customer set email = ? where id = (select customer_id from license where id = ?)`, [email, row.id]);
    return row.id;
  }

  it('raises exactly the expected alerts: 25 countries, 1,500 validations from 1,200 addresses, a spoofed referrer, three plus-addressed trials on one machine', async () => {
    const now = Date.now();
    const minutesAgo = (minutes: number) => now - minutes * 60_000;
    const { perCountry, inOne: usAddresses } = addressesByCountry(25, 'US', 1_300);
    const [homeA, homeB, homeC, ...otherUs] = usAddresses;

    // One key from 25 countries, its plan suspending on abuse (a real license, with its workflow).
    const geoLicense = await createLicense(stack, { seat_limit: 5 });
    ids.geo = geoLicense.id;
    expect((await call('PUT', '/v1/abuse-policies/{id}', { params: { id: geoLicense.plan.id }, body: { action: 'SUSPEND' } })).body).toMatchObject({ action: 'SUSPEND', max_countries_per_day: 20 });
    // 1,500 validations in an hour from 1,200 addresses (all in one country: no geographic spread).
    ids.velocity = await license();
    // A page on another site claiming the licensed domain; its plan requires re-activation.
    const spoofPlan = await createPlan(stack, { seat_limit: 5 });
    expect((await call('PUT', '/v1/abuse-policies/{id}', { params: { id: spoofPlan.id }, body: { action: 'REQUIRE_REACTIVATION' } })).status).toBe(200);
    expect((await call('GET', '/v1/abuse-policies/{id}', { params: { id: spoofPlan.id } })).body).toEqual({
      action: 'REQUIRE_REACTIVATION', velocity_validations_per_hour: 1000, velocity_distinct_ips: 100, max_countries_per_day: 20, referrer_check: true, trials_per_identity: 2, fingerprints_per_week: null,
    });
    expect((await call('GET', '/v1/abuse-policies/{id}', { params: { id: randomUUID() } })).body.code).toBe('PLAN_NOT_FOUND');
    expect((await call('PUT', '/v1/abuse-policies/{id}', { params: { id: spoofPlan.id }, body: { action: 'BAN' } })).body.code).toBe('INVALID_REQUEST');
    ids.spoof = (await insertLicense(stack.db.orm.em, stack.secret, { plan: spoofPlan.id } as never)).license.id;
    await sql(`update license set plan_id = ? where id = ?`, [spoofPlan.id, ids.spoof]);
    await sql(`insert into activation (id, license_id, fingerprint, kind, first_seen_at, last_seen_at) values (?, ?, 'fp-shop', 'MACHINE', now(), now())`, [randomUUID(), ids.spoof]);
    // Three trials whose e-mails differ only in plus-addressing, activated on one machine.
    ids.trial1 = await trial('ada+one@example.com');
    ids.trial2 = await trial('ada+two@example.com');
    ids.trial3 = await trial('ada+three@example.com');
    // Normal traffic: busy keys in one country from their own sites, a customer's two trials on one machine, unrelated trials.
    const normal = [await license(), await license(), await license()];
    const bobTrials = [await trial('bob+a@example.org'), await trial('bob+b@example.org')];
    const otherTrials = [await trial('carol@example.net'), await trial('dan@example.net')];

    await seed(stack.db.orm.em, [
      ...[...perCountry.values()].map((ip, i) => usageCall(ids.geo!, minutesAgo(50 - i), { ip, fingerprint: 'fp-travel', count: 2 })),
      ...otherUs.slice(0, 1_200).map((ip, i) => usageCall(ids.velocity!, minutesAgo(55 - (i % 50)), { ip, count: i < 300 ? 2 : 1 })),
      usageCall(ids.spoof!, minutesAgo(30), { ip: homeA, origin: 'https://shop.example.com/checkout', domain: 'shop.example.com', count: 40 }),
      usageCall(ids.spoof!, minutesAgo(20), { ip: homeA, origin: 'https://evil.example.net/embed', domain: 'shop.example.com', count: 5 }),
      ...[ids.trial1!, ids.trial2!, ids.trial3!].map((id, i) => usageCall(id, minutesAgo(40 - i), { kind: 'activation', code: 'ACTIVATED', ip: otherUs[1_200 + i], fingerprint: 'fp-ada-laptop' })),
      ...normal.flatMap((id, n) => [homeA, homeB, homeC].map((ip, i) =>
        usageCall(id, minutesAgo(45 - i), { ip, origin: `https://app.customer-${n}.example/`, domain: `customer-${n}.example`, fingerprint: `fp-${n}-${i}`, count: 300 }))),
      ...bobTrials.map((id, i) => usageCall(id, minutesAgo(35 - i), { kind: 'activation', code: 'ACTIVATED', ip: otherUs[1_210 + i], fingerprint: 'fp-bob' })),
      ...otherTrials.map((id, i) => usageCall(id, minutesAgo(33 - i), { kind: 'activation', code: 'ACTIVATED', ip: otherUs[1_220 + i], fingerprint: `fp-other-${i}` })),
    ]);

    const first = await runChecks();
    const raised = Object.fromEntries(first.raised.map((alert) => [alert.kind, { licenseId: alert.licenseId, action: alert.action }]));
    expect(raised).toEqual({
      GEO_SPREAD: { licenseId: ids.geo, action: 'SUSPEND' },
      VELOCITY: { licenseId: ids.velocity, action: null },
      REFERRER_MISMATCH: { licenseId: ids.spoof, action: 'REQUIRE_REACTIVATION' },
      TRIAL_CYCLING: { licenseId: ids.trial3, action: null },
    });
    expect(first.raised).toHaveLength(4);
    expect(await sql(`select count(*)::int as n from abuse_alert`)).toEqual([{ n: 4 }]);

    const evidence = Object.fromEntries((await sql<{ kind: string; evidence: any }>(`select kind, evidence from abuse_alert`)).map((row) => [row.kind, row.evidence]));
    expect(evidence.GEO_SPREAD).toMatchObject({ distinct_countries: 25, threshold: 20 });
    expect(evidence.VELOCITY).toMatchObject({ validations: 1_500, distinct_ips: 1_200, threshold_validations: 1_000 });
    expect(evidence.REFERRER_MISMATCH).toMatchObject({ calls: 5, mismatches: [{ origin_host: 'evil.example.net', domain_claimed: 'shop.example.com', calls: 5 }] });
    expect(evidence.TRIAL_CYCLING.trials.map((t: { license_id: string }) => t.license_id)).toEqual([ids.trial1, ids.trial2, ids.trial3]);
    expect(evidence.TRIAL_CYCLING.shared).toEqual(expect.arrayContaining([
      { signal: 'fingerprint', value: 'fp-ada-laptop', trials: 3 },
      { signal: 'email', value: 'ada@example.com', trials: 3 },
    ]));

    // SUSPEND went through the license workflow, as system:abuse, with the evidence in the reason.
    await eventually(async () => ((await sql(`select status from license where id = ?`, [ids.geo]))[0].status === 'SUSPENDED' ? true : undefined), { what: 'the license to be suspended' });
    const [suspension] = await sql(`select actor, reason from audit_event where license_id = ? and reason like 'abuse alert %' order by created_at desc limit 1`, [ids.geo]);
    expect(suspension.actor).toBe('system:abuse');
    expect(suspension.reason).toMatch(/^abuse alert [0-9a-f-]{36} \(GEO_SPREAD\): seen from 25 countries within 24 hours \(plan allows 20\)/);
    // REQUIRE_REACTIVATION ended every live activation, audited.
    expect(await sql(`select deactivated_by from activation where license_id = ?`, [ids.spoof])).toEqual([{ deactivated_by: 'system:abuse' }]);
    expect(await sql(`select actor, action from audit_event where license_id = ? and action = 'activation.deactivated'`, [ids.spoof])).toEqual([{ actor: 'system:abuse', action: 'activation.deactivated' }]);
    expect(await sql(`select kind, status, action from abuse_alert where action is not null order by kind`)).toEqual([
      { kind: 'GEO_SPREAD', status: 'ACTED', action: 'SUSPEND' },
      { kind: 'REFERRER_MISMATCH', status: 'ACTED', action: 'REQUIRE_REACTIVATION' },
    ]);

    // The same findings a check later merge into their alerts.
    const second = await runChecks();
    expect(second).toEqual({ raised: [], merged: 4 });
    expect(await sql(`select count(*)::int as n, min(occurrences) as min, max(occurrences) as max from abuse_alert`)).toEqual([{ n: 4, min: 2, max: 2 }]);
  });

  it('lists, filters and pages the alerts, shows one with its evidence, and dismisses it (audited, once)', async () => {
    const all = await call('GET', '/v1/abuse-alerts');
    expect(all.status).toBe(200);
    expect(all.body.data.map((alert: { kind: string }) => alert.kind).sort()).toEqual(['GEO_SPREAD', 'REFERRER_MISMATCH', 'TRIAL_CYCLING', 'VELOCITY']);
    const firstPage = await call('GET', '/v1/abuse-alerts', { query: 'limit=3' });
    expect(firstPage.body).toMatchObject({ has_more: true });
    const secondPage = await call('GET', '/v1/abuse-alerts', { query: `limit=3&cursor=${firstPage.body.next_cursor}` });
    expect(secondPage.body).toMatchObject({ has_more: false, next_cursor: null });
    expect([...firstPage.body.data, ...secondPage.body.data].map((alert: { id: string }) => alert.id).sort()).toEqual(all.body.data.map((alert: { id: string }) => alert.id).sort());
    const velocity = await call('GET', '/v1/abuse-alerts', { query: `kind=VELOCITY&status=OPEN&license_id=${ids.velocity}` });
    expect(velocity.body.data).toHaveLength(1);
    const id = velocity.body.data[0].id;

    const detail = await call('GET', '/v1/abuse-alerts/{id}', { params: { id } });
    expect(detail.body).toMatchObject({ id, license_id: ids.velocity, kind: 'VELOCITY', status: 'OPEN', occurrences: 2, action: null, evidence: { validations: 1_500 } });

    const dismissed = await call('POST', '/v1/abuse-alerts/{id}/dismiss', { params: { id }, body: { reason: 'their CI fleet, expected' } });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'DISMISSED', dismiss_reason: 'their CI fleet, expected' });
    expect((await call('POST', '/v1/abuse-alerts/{id}/dismiss', { params: { id }, body: { reason: 'again' } })).body).toMatchObject({ code: 'ABUSE_ALERT_ALREADY_DISMISSED' });
    expect((await call('GET', '/v1/abuse-alerts/{id}', { params: { id: randomUUID() } })).body).toMatchObject({ code: 'ABUSE_ALERT_NOT_FOUND' });
    expect((await call('POST', '/v1/abuse-alerts/{id}/dismiss', { params: { id }, body: {} })).body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await call('GET', '/v1/abuse-alerts', { query: 'kind=SPEEDING' })).body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await sql(`select action, reason, license_id from audit_event where action = 'abuse_alert.dismissed'`)).toEqual([
      { action: 'abuse_alert.dismissed', reason: 'their CI fleet, expected', license_id: ids.velocity },
    ]);

    const metrics = await stack.request('GET', '/metrics');
    expect(metrics.body).toMatch(/^keywarden_abuse_alerts\{kind="VELOCITY",status="DISMISSED"\} 1$/m);
    expect(metrics.body).toMatch(/^keywarden_abuse_alerts\{kind="GEO_SPREAD",status="ACTED"\} 1$/m);
    expect(metrics.body).toMatch(/^keywarden_abuse_alerts\{kind="TRIAL_CYCLING",status="OPEN"\} 1$/m);
  });

  it('raises key sharing past three times the seats (or the plan\u2019s own number), and links trials paid with one card', async () => {
    const now = Date.now();
    const daysAgo = (days: number) => now - days * 86_400_000;
    // Two seats: nine machines in a week is sharing (the default allows 6), five is not.
    const shared = await license({ seatLimit: 2 });
    const busy = await license({ seatLimit: 2 });
    // A plan that allows 3 machines a week whatever the seats: four is sharing.
    const strictPlan = await createPlan(stack, { seat_limit: 10 });
    expect((await call('PUT', '/v1/abuse-policies/{id}', { params: { id: strictPlan.id }, body: { fingerprints_per_week: 3 } })).status).toBe(200);
    const strict = await license({ seatLimit: 10 });
    await sql(`update license set plan_id = ? where id = ?`, [strictPlan.id, strict]);
    // Three trials with nothing in common but the card their checkouts were paid with.
    const cardTrials = [await trial('erin@example.com'), await trial('frank@example.org'), await trial('grace@example.net')];
    for (const [i, id] of cardTrials.entries()) {
      const payload = { id: `evt_card_${i}_${id.slice(0, 8)}`, type: 'charge.succeeded', data: { object: { object: 'charge', payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', fingerprint: 'Xk9card0ne' } } } } };
      await sql(
        `insert into stripe_event (id, type, stripe_created_at, livemode, payload, status, license_id, attempts, created_at, updated_at) values (?, 'charge.succeeded', now(), false, ?, 'PROCESSED', ?, 1, now(), now())`,
        [payload.id, JSON.stringify(payload), id],
      );
    }

    await seed(stack.db.orm.em, [
      ...Array.from({ length: 9 }, (_, i) => usageCall(shared, daysAgo(6 - i * 0.5), { kind: 'heartbeat', code: 'LEASE_RENEWED', fingerprint: `fp-shared-${i}` })),
      ...Array.from({ length: 5 }, (_, i) => usageCall(busy, daysAgo(5 - i), { fingerprint: `fp-busy-${i}` })),
      ...Array.from({ length: 4 }, (_, i) => usageCall(strict, daysAgo(3 - i * 0.5), { fingerprint: `fp-strict-${i}` })),
    ]);

    const run = await runChecks();
    const raised = run.raised.map((alert) => [alert.kind, alert.licenseId]).sort();
    expect(raised).toEqual([['KEY_SHARING', shared], ['KEY_SHARING', strict], ['TRIAL_CYCLING', cardTrials[2]]].sort());
    const evidence = async (licenseId: string, kind: string) => (await sql(`select evidence from abuse_alert where license_id = ? and kind = ?`, [licenseId, kind]))[0].evidence;
    expect(await evidence(shared, 'KEY_SHARING')).toMatchObject({ distinct_fingerprints: 9, threshold: 6, seat_limit: 2 });
    expect(await evidence(strict, 'KEY_SHARING')).toMatchObject({ distinct_fingerprints: 4, threshold: 3 });
    const cycling = await evidence(cardTrials[2]!, 'TRIAL_CYCLING');
    expect(cycling.trials.map((t: { license_id: string }) => t.license_id)).toEqual(cardTrials);
    expect(cycling.shared).toEqual([{ signal: 'card', value: 'Xk9card0ne', trials: 3 }]);
  });

  it('has exercised every operation it answers for with a success', () => {
    expect(contract.unexercised('abuse-detection')).toEqual([]);
  });
});
