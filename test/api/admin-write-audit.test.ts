import { ROUTE_RULES } from '../../api/auth/route-rules.ts';
import type { RunningStripeMock } from '../../lib/stripe-mock.ts';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { Browser, createStaff, strongPassword, totpCode, type Answer } from '../support/staff.ts';
import { postEvent, startTestStripeMock, stripeEvent, suffix, testStripeServices } from '../support/stripe.ts';

/**
 * Admin writes that leave no audit row, each with why. Every other write route of the route
 * table must be walked below: a new write route fails this test until it is audited (or listed here).
 */
const NOT_AUDITED: Record<string, string> = {
  'POST /v1/licenses/search': 'a search, sent by POST so a key in the query stays out of URLs: a read',
  'POST /v1/me/two-factor': 'starts an enrolment that changes nothing until confirmed (staff.two_factor_enabled)',
};

/**
 * Admin writes whose audit row needs state this walk does not build (a running bulk operation, a
 * failed message, a raised alert): each is asserted by the test named, which the walk trusts.
 */
const AUDITED_ELSEWHERE: Record<string, string> = {
  'POST /v1/bulk-operations': 'test/api/bulk-operations.test.ts (bulk_operation.started, and each license row names the operation)',
  'POST /v1/bulk-operations/:id/cancel': 'test/api/bulk-operations.test.ts (bulk_operation.cancel_requested)',
  'POST /v1/messages/:id/retry': 'test/api/outbox-retry.test.ts (message.retried, message.retry_failed)',
  'POST /v1/messages/:id/send-now': 'test/outreach/send-now.test.ts (message.send_requested)',
  'POST /v1/abuse-alerts/:id/dismiss': 'test/abuse/abuse-detection.test.ts (abuse_alert.dismissed)',
};

interface AuditRow {
  actor: string;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  license_id: string | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
}

/** One write: the route it exercises, what it must record, and the call (setup it needs runs before, uncounted). */
interface Walk {
  route: string;
  action: string;
  /** The audit target (type, id); license changes target their license. */
  target: () => [string, string];
  /** Who the row names: the structured actor (`staff:<id>`). */
  actor: () => string;
  /** The row carries the request's IP and user agent, and the actor's label. */
  origin?: boolean;
  /** What the call needs first (its audit rows are not the call's). */
  prepare?: () => Promise<unknown>;
  call: () => Promise<Answer>;
  check?: (row: AuditRow) => void;
}

const UA = 'AuditWalk/1.0';
const IP = '203.0.113.9';

describe('every admin write leaves exactly one audit row of its kind', () => {
  let stack: ApiStack;
  let stripeMock: RunningStripeMock;
  let stripe: StripeServices;

  beforeAll(async () => {
    stripeMock = await startTestStripeMock();
    stripe = testStripeServices(stripeMock);
    stack = await startApiStack({ stripe, app: { trustProxy: { ranges: ['loopback'] } } });
  });
  afterAll(async () => {
    await stack?.close();
    await stripeMock?.stop();
  });

  it('walks every write route of the route table', async () => {
    const em = () => stack.db.orm.em.fork();
    const as = (browser: Browser) => (method: string, path: string, body?: unknown) => browser.request(method, path, { body, headers: { 'user-agent': UA, 'x-forwarded-for': IP } });
    const owner = await createStaff(stack, 'owner');
    const ownerBrowser = new Browser(stack);
    await ownerBrowser.signIn(owner.email, owner.password);
    const byOwner = as(ownerBrowser);
    const ownerActor = () => `staff:${owner.id}`;
    const ids: Record<string, string> = {};
    const id = (name: string) => () => ids[name]!;
    const keep = (name: string, answer: Answer, field = 'id') => {
      ids[name] = answer.body?.[field];
      return answer;
    };
    // Setup through the bootstrap token: its rows are not counted.
    const admin = (method: string, path: string, body?: unknown) => stack.request(method, path, { body });
    const member = await createStaff(stack, 'support');
    const memberBrowser = new Browser(stack);
    await memberBrowser.signIn(member.email, member.password);
    const byMember = as(memberBrowser);
    const memberActor = () => `staff:${member.id}`;
    const signInMember = async () => {
      const browser = new Browser(stack);
      await browser.signIn(member.email, member.password);
      return browser;
    };
    const sessionOf = async (browser: Browser) => (await browser.request('GET', '/v1/me/sessions')).body.data.find((s: { current: boolean }) => s.current).id as string;
    let enrolment = '';
    let elsewhere: Browser | undefined;

    const walks: Walk[] = [
      // The catalog.
      { route: 'POST /v1/products', action: 'product.created', origin: true, actor: ownerActor, target: () => ['product', ids.product!], call: async () => keep('product', await byOwner('POST', '/v1/products', { code: `walk-${suffix()}`, name: 'Walk' })) },
      {
        route: 'PATCH /v1/products/:id', action: 'product.updated', origin: true, actor: ownerActor, target: () => ['product', ids.product!],
        call: () => byOwner('PATCH', `/v1/products/${ids.product}`, { name: 'Walk Pro' }),
        check: (row) => expect(row).toMatchObject({ before: { name: 'Walk' }, after: { name: 'Walk Pro' } }),
      },
      { route: 'POST /v1/plans', action: 'plan.created', origin: true, actor: ownerActor, target: () => ['plan', ids.plan!], call: async () => keep('plan', await byOwner('POST', '/v1/plans', { product_id: ids.product, code: 'walk', name: 'Walk', tier: 'pro' })) },
      {
        route: 'PATCH /v1/plans/:id', action: 'plan.updated', origin: true, actor: ownerActor, target: () => ['plan', ids.plan!],
        call: () => byOwner('PATCH', `/v1/plans/${ids.plan}`, { payment_grace_days: 10, reason: 'longer dunning' }),
        check: (row) => expect(row).toMatchObject({ reason: 'longer dunning', before: { payment_grace_days: 7 }, after: { payment_grace_days: 10 } }),
      },
      { route: 'DELETE /v1/plans/:id', action: 'plan.deleted', origin: true, actor: ownerActor, target: () => ['plan', ids.plan!], call: () => byOwner('DELETE', `/v1/plans/${ids.plan}`) },
      { route: 'DELETE /v1/products/:id', action: 'product.deleted', origin: true, actor: ownerActor, target: () => ['product', ids.product!], call: () => byOwner('DELETE', `/v1/products/${ids.product}`) },
      { route: 'POST /v1/customers', action: 'customer.created', origin: true, actor: ownerActor, target: () => ['customer', ids.customer!], call: async () => keep('customer', await byOwner('POST', '/v1/customers', { email: `walk-${suffix()}@example.com` })) },
      {
        route: 'PATCH /v1/customers/:id', action: 'customer.updated', origin: true, actor: ownerActor, target: () => ['customer', ids.customer!],
        call: () => byOwner('PATCH', `/v1/customers/${ids.customer}`, { name: 'Walk Ltd' }),
        check: (row) => expect(row).toMatchObject({ before: { name: null }, after: { name: 'Walk Ltd' } }),
      },
      { route: 'POST /v1/customers/:id/notes', action: 'customer.note_added', origin: true, actor: ownerActor, target: () => ['customer', ids.customer!], call: () => byOwner('POST', `/v1/customers/${ids.customer}/notes`, { body: 'renewal call booked' }) },
      { route: 'DELETE /v1/customers/:id', action: 'customer.deleted', origin: true, actor: ownerActor, target: () => ['customer', ids.customer!], call: () => byOwner('DELETE', `/v1/customers/${ids.customer}`) },
      // Licenses (their workflow's activity writes the rows, with the request's actor and origin).
      {
        route: 'POST /v1/licenses', action: 'license.created', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        prepare: async () => {
          ids.licensePlan = (await createPlan(stack, { trial_days: 14 })).id;
          ids.otherPlan = (await createPlan(stack)).id;
        },
        call: async () => keep('license', await byOwner('POST', '/v1/licenses', { plan_id: ids.licensePlan, customer: { email: `walk-${suffix()}@example.com` }, trial: true, notify: false })),
      },
      { route: 'POST /v1/licenses/:id/extend-trial', action: 'license.trial_extended', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/extend-trial`, { until: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: 'evaluation' }) },
      { route: 'POST /v1/licenses/:id/renew', action: 'license.converted', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/renew`, { until: '2098-01-01T00:00:00Z', reason: 'purchase order' }) },
      { route: 'POST /v1/licenses/:id/set-expiry', action: 'license.expiry_set', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/set-expiry`, { expires_at: '2097-06-30T00:00:00Z', reason: 'fiscal year' }) },
      { route: 'POST /v1/licenses/:id/suspend', action: 'license.suspended', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/suspend`, { reason: 'abuse report' }) },
      { route: 'POST /v1/licenses/:id/reinstate', action: 'license.reinstated', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/reinstate`, { reason: 'resolved' }) },
      { route: 'POST /v1/licenses/:id/change-plan', action: 'license.plan_changed', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/change-plan`, { plan_id: ids.otherPlan, reason: 'upgrade' }) },
      { route: 'POST /v1/licenses/:id/offline-tokens', action: 'license.offline_token_issued', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/offline-tokens`, { fingerprint: 'air-gapped' }) },
      {
        route: 'POST /v1/licenses/:id/activations/:activationId/deactivate', action: 'activation.deactivated', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        prepare: async () => {
          const created = await admin('POST', '/v1/licenses', { plan_id: ids.otherPlan, customer: { email: `seat-${suffix()}@example.com` }, notify: false });
          ids.license = created.body.id;
          await stack.request('POST', '/v1/activate', { body: { key: created.body.key, fingerprint: 'laptop' }, token: null });
          ids.activation = (await em().execute<{ id: string }[]>('select id from activation where license_id = ?', [ids.license]))[0]!.id;
        },
        call: () => byOwner('POST', `/v1/licenses/${ids.license}/activations/${ids.activation}/deactivate`, { reason: 'lost laptop' }),
      },
      {
        route: 'PATCH /v1/licenses/:id', action: 'license.updated', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        call: () => byOwner('PATCH', `/v1/licenses/${ids.license}`, { metadata: { renewal_value: 1200 }, reason: 'renewal value from the CRM' }),
      },
      {
        route: 'POST /v1/licenses/:id/reset-seats', action: 'license.seats_reset', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        prepare: async () => {
          const created = await admin('POST', '/v1/licenses', { plan_id: ids.otherPlan, customer: { email: `reset-${suffix()}@example.com` }, notify: false });
          ids.license = created.body.id;
          await stack.request('POST', '/v1/activate', { body: { key: created.body.key, fingerprint: 'old-laptop' }, token: null });
        },
        call: () => byOwner('POST', `/v1/licenses/${ids.license}/reset-seats`, { reason: 'new laptops' }),
      },
      {
        route: 'POST /v1/licenses/:id/resend-key', action: 'license.key_resent', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        call: () => byOwner('POST', `/v1/licenses/${ids.license}/resend-key`, { reason: 'lost the e-mail' }),
      },
      {
        route: 'POST /v1/licenses/:id/rotate-key', action: 'license.key_rotated', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        call: () => byOwner('POST', `/v1/licenses/${ids.license}/rotate-key`, { reason: 'key posted publicly', notify: false }),
      },
      {
        route: 'POST /v1/licenses/rotate-keys', action: 'license.key_rotated', actor: ownerActor, origin: true, target: () => ['license', ids.license!],
        call: () => byOwner('POST', '/v1/licenses/rotate-keys', { license_ids: [ids.license], reason: 'leaked key list', notify: false }),
      },
      {
        route: 'PUT /v1/abuse-policies/:id', action: 'plan.abuse_policy_updated', actor: ownerActor, origin: true, target: () => ['plan', ids.otherPlan!],
        call: () => byOwner('PUT', `/v1/abuse-policies/${ids.otherPlan}`, { max_countries_per_day: 30 }),
      },
      { route: 'POST /v1/licenses/:id/revoke', action: 'license.revoked', actor: ownerActor, origin: true, target: () => ['license', ids.license!], call: () => byOwner('POST', `/v1/licenses/${ids.license}/revoke`, { reason: 'chargeback' }) },
      // Stripe and signing keys.
      {
        route: 'POST /v1/stripe/events/:id/replay', action: 'stripe_event.replayed', origin: true, actor: ownerActor, target: () => ['stripe_event', ids.event!],
        prepare: async () => {
          const event = stripeEvent('customer.created', { id: `cus_Walk${suffix()}`, object: 'customer', email: 'walk@example.com' });
          await postEvent(stack, stripe.client, event);
          ids.event = event.id;
        },
        call: () => byOwner('POST', `/v1/stripe/events/${ids.event}/replay`),
        check: (row) => expect(row).toMatchObject({ before: { type: 'customer.created', status: 'IGNORED' }, after: { status: 'IGNORED' } }),
      },
      {
        route: 'POST /v1/signing-keys/rotate', action: 'signing_key.rotated', origin: true, actor: ownerActor, target: () => ['signing_key', ids.key!],
        prepare: async () => {
          ids.previousKey = (await admin('GET', '/v1/signing-keys')).body.data.find((k: { status: string }) => k.status === 'ACTIVE').id;
        },
        call: async () => keep('key', await byOwner('POST', '/v1/signing-keys/rotate')),
        check: (row) => expect(row).toMatchObject({ before: { active_key_id: ids.previousKey }, after: { active_key_id: ids.key, verifying_key_id: ids.previousKey } }),
      },
      { route: 'POST /v1/signing-keys/:id/retire', action: 'signing_key.retired', origin: true, actor: ownerActor, target: () => ['signing_key', ids.previousKey!], call: () => byOwner('POST', `/v1/signing-keys/${ids.previousKey}/retire`) },
      // Staff, their sessions and two-factor, tokens, settings.
      { route: 'POST /v1/staff', action: 'staff.invited', origin: true, actor: ownerActor, target: () => ['staff_member', ids.invited!], call: async () => keep('invited', await byOwner('POST', '/v1/staff', { email: `walk-${suffix()}@example.com`, name: 'Walk', role: 'finance' })) },
      { route: 'POST /v1/staff/:id/invitation', action: 'staff.invitation_sent', origin: true, actor: ownerActor, target: () => ['staff_member', ids.invited!], call: () => byOwner('POST', `/v1/staff/${ids.invited}/invitation`) },
      {
        route: 'PATCH /v1/staff/:id', action: 'staff.role_changed', origin: true, actor: ownerActor, target: () => ['staff_member', ids.invited!],
        call: () => byOwner('PATCH', `/v1/staff/${ids.invited}`, { role: 'read_only', reason: 'audit only' }),
        check: (row) => expect(row).toMatchObject({ reason: 'audit only', before: { role: 'finance' }, after: { role: 'read_only' } }),
      },
      { route: 'POST /v1/staff/:id/password-reset', action: 'staff.password_reset_sent', origin: true, actor: ownerActor, target: () => ['staff_member', member.id], call: () => byOwner('POST', `/v1/staff/${member.id}/password-reset`) },
      { route: 'PATCH /v1/me', action: 'staff.updated', origin: true, actor: memberActor, target: () => ['staff_member', member.id], call: () => byMember('PATCH', '/v1/me', { name: 'Walker' }) },
      {
        route: 'POST /v1/me/password', action: 'staff.password_changed', origin: true, actor: memberActor, target: () => ['staff_member', member.id],
        call: async () => {
          const next = strongPassword();
          const answer = await byMember('POST', '/v1/me/password', { current_password: member.password, new_password: next });
          member.password = next;
          return answer;
        },
      },
      {
        route: 'POST /v1/me/two-factor/confirm', action: 'staff.two_factor_enabled', origin: true, actor: memberActor, target: () => ['staff_member', member.id],
        prepare: async () => {
          enrolment = (await memberBrowser.request('POST', '/v1/me/two-factor')).body.secret;
        },
        call: async () => byMember('POST', '/v1/me/two-factor/confirm', { code: await totpCode(enrolment) }),
      },
      { route: 'POST /v1/me/recovery-codes', action: 'staff.recovery_codes_replaced', origin: true, actor: memberActor, target: () => ['staff_member', member.id], call: () => byMember('POST', '/v1/me/recovery-codes', { password: member.password }) },
      { route: 'POST /v1/me/two-factor/disable', action: 'staff.two_factor_disabled', origin: true, actor: memberActor, target: () => ['staff_member', member.id], call: () => byMember('POST', '/v1/me/two-factor/disable', { password: member.password }) },
      {
        route: 'POST /v1/staff/:id/two-factor/reset', action: 'staff.two_factor_disabled', origin: true, actor: ownerActor, target: () => ['staff_member', member.id],
        prepare: async () => {
          enrolment = (await memberBrowser.request('POST', '/v1/me/two-factor')).body.secret;
          await memberBrowser.request('POST', '/v1/me/two-factor/confirm', { body: { code: await totpCode(enrolment) } });
        },
        call: () => byOwner('POST', `/v1/staff/${member.id}/two-factor/reset`, { reason: 'lost phone' }),
        check: (row) => expect(row.reason).toBe('lost phone'),
      },
      {
        route: 'DELETE /v1/me/sessions/:id', action: 'session.revoked', origin: true, actor: memberActor, target: () => ['staff_session', ids.session!],
        prepare: async () => {
          ids.session = await sessionOf(await signInMember());
        },
        call: () => byMember('DELETE', `/v1/me/sessions/${ids.session}`),
      },
      {
        route: 'DELETE /v1/sessions/:id', action: 'session.revoked', origin: true, actor: ownerActor, target: () => ['staff_session', ids.session!],
        prepare: async () => {
          ids.session = await sessionOf(await signInMember());
        },
        call: () => byOwner('DELETE', `/v1/sessions/${ids.session}`),
      },
      {
        route: 'DELETE /v1/sessions/current', action: 'session.signed_out', origin: true, actor: memberActor, target: () => ['staff_session', ids.session!],
        prepare: async () => {
          ids.session = await sessionOf(memberBrowser);
        },
        call: () => byMember('DELETE', '/v1/sessions/current'),
      },
      {
        route: 'POST /v1/me/sign-out-everywhere', action: 'staff.signed_out_everywhere', origin: true, actor: memberActor, target: () => ['staff_member', member.id],
        prepare: async () => {
          elsewhere = await signInMember();
        },
        call: () => as(elsewhere!)('POST', '/v1/me/sign-out-everywhere'),
      },
      {
        route: 'POST /v1/staff/:id/sign-out-everywhere', action: 'staff.signed_out_everywhere', origin: true, actor: ownerActor, target: () => ['staff_member', member.id],
        prepare: () => signInMember(),
        call: () => byOwner('POST', `/v1/staff/${member.id}/sign-out-everywhere`),
      },
      { route: 'POST /v1/api-tokens', action: 'api_token.created', origin: true, actor: ownerActor, target: () => ['api_token', ids.token!], call: async () => keep('token', await byOwner('POST', '/v1/api-tokens', { name: `walk-${suffix()}`, scopes: ['licenses:read'] })) },
      { route: 'DELETE /v1/api-tokens/:id', action: 'api_token.revoked', origin: true, actor: ownerActor, target: () => ['api_token', ids.token!], call: () => byOwner('DELETE', `/v1/api-tokens/${ids.token}?reason=rotated`) },
      { route: 'PATCH /v1/settings', action: 'setting.updated', origin: true, actor: ownerActor, target: () => ['setting', 'identity'], call: () => byOwner('PATCH', '/v1/settings', { require_two_factor: false }) },
    ];

    // The walk covers the route table: every write a staff session or token may make.
    const writes = Object.entries(ROUTE_RULES)
      .filter(([route, rule]) => !route.startsWith('GET ') && (rule.access === 'scope' || rule.access === 'session'))
      .map(([route]) => route)
      .sort();
    expect([...new Set([...walks.map((walk) => walk.route), ...Object.keys(NOT_AUDITED), ...Object.keys(AUDITED_ELSEWHERE)])].sort()).toEqual(writes);

    const count = async () => Number((await em().execute<{ n: string }[]>('select count(*) as n from audit_event'))[0]!.n);
    const problems: string[] = [];
    for (const walk of walks) {
      await walk.prepare?.();
      const before = await count();
      const answer = await walk.call();
      if (answer.status >= 300) {
        problems.push(`${walk.route}: answered ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      const rows = await em().execute<AuditRow[]>('select * from audit_event order by created_at desc, id desc limit ?', [Math.max((await count()) - before, 1)]);
      const added = (await count()) - before;
      if (added !== 1) {
        problems.push(`${walk.route}: ${added} audit rows (${rows.map((row) => row.action).join(', ')})`);
        continue;
      }
      const row = rows[0]!;
      const [type, target] = walk.target();
      const expected: Partial<AuditRow> = { action: walk.action, actor: walk.actor(), ...(type === 'license' ? { license_id: target } : { target_type: type, target_id: target }) };
      if (walk.origin) Object.assign(expected, { ip: IP, user_agent: UA, actor_label: walk.actor() === ownerActor() ? owner.email : member.email });
      const got = Object.fromEntries(Object.keys(expected).map((field) => [field, row[field as keyof AuditRow]]));
      if (JSON.stringify(got) !== JSON.stringify(Object.fromEntries(Object.entries(expected)))) problems.push(`${walk.route}: recorded ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
      walk.check?.(row);
    }
    expect(problems).toEqual([]);
  });
});
