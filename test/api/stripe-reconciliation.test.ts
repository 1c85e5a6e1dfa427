import { randomBytes } from 'node:crypto';
import type { StripeServices } from '../../lib/stripe-client.ts';
import { ensureLicenseSchedules, STRIPE_RECONCILIATION_SCHEDULE_ID } from '../../worker/license-schedules.ts';
import type { ReconcileReport } from '../../domain/stripe/reconcile-stripe-subscriptions.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { createPlan } from '../support/api-fixtures.ts';
import { recordHistory } from '../support/history-recorder.ts';
import { eventually } from '../support/poll.ts';
import { checkoutObject, invoiceObject, postEvent, stripeEvent, subscriptionObject, future, startStripeStack } from '../support/stripe.ts';


describe('the nightly Stripe reconciliation', () => {
  let stack: ApiStack;
  let stripe: StripeServices;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ stack, stripe, close } = await startStripeStack());
  });
  afterAll(async () => {
    await close?.();
  });

  const license = async (id: string) => (await stack.request('GET', `/v1/licenses/${id}`)).body;
  const reconcile = (workflowId = `stripe-reconciliation-test-${randomBytes(4).toString('hex')}`) =>
    stack.temporal.workflow.execute('stripeReconciliationWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [] }) as Promise<ReconcileReport>;

  it('repairs a license whose webhooks were missed: the plan and seats Stripe has, and the payment that recovered it', async () => {
    // stripe-mock serves one fixture subscription; the license below belongs to it.
    const listed = await stripe.client.subscriptions.list({ status: 'all', limit: 10 });
    const fixture = listed.data[0]!;
    const fixturePrice = fixture.items.data[0]!.price.id;
    const otherPrice = `price_Old${randomBytes(4).toString('hex')}`;
    const current = await createPlan(stack, { stripe_price_ids: [fixturePrice] });
    const old = await createPlan(stack, { stripe_price_ids: [otherPrice] });
    const customer = `cus_${randomBytes(5).toString('hex')}`;
    const post = (event: object) => postEvent(stack, stripe.client, event);

    // What the webhooks told: plan `old`, 3 seats, then a failed payment. The updates that
    // followed (plan change, the payment that recovered it) never arrived.
    await post(stripeEvent('customer.subscription.created', subscriptionObject(fixture.id, { customer, price: otherPrice, quantity: 3, periodEnd: future(30) })));
    await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription: fixture.id, customer, email: `drift-${randomBytes(4).toString('hex')}@example.com` })));
    const id = (await stack.db.orm.em.fork().execute<{ id: string }[]>('select id from license where stripe_subscription_id = ?', [fixture.id]))[0]!.id;
    await post(stripeEvent('invoice.payment_failed', invoiceObject({ subscription: fixture.id, customer, periodEnd: future(30), price: otherPrice })));
    await eventually(async () => ((await license(id)).status === 'PAST_DUE' ? true : undefined), { what: 'PAST_DUE' });
    expect(await license(id)).toMatchObject({ plan: old.code, seat_limit: 3 });

    const repairRun = `stripe-reconciliation-test-repairs-${randomBytes(4).toString('hex')}`;
    const report = await reconcile(repairRun);
    expect(report).toMatchObject({ configured: true, subscriptions: listed.data.length, problems: [] });
    expect(report.repairs).toEqual([expect.stringContaining(`${id}: planChanged`), expect.stringContaining(`${id}: paymentSucceeded`)]);
    const repaired = await eventually(async () => {
      const view = await license(id);
      return view.status === 'ACTIVE' && view.plan === current.code ? view : undefined;
    }, { what: 'the repaired license' });
    expect(repaired.seat_limit).toBe(fixture.items.data[0]!.quantity);

    // Nothing left to repair: a second run sends nothing.
    expect((await reconcile()).repairs).toEqual([]);
    const actions = (await stack.db.orm.em.fork().execute<{ action: string; actor: string }[]>('select action, actor from audit_event where license_id = ? order by created_at', [id])).map((r) => `${r.action} ${r.actor.split(':')[0]}`);
    expect(actions).toEqual(['license.created stripe', 'license.past_due billing', 'license.plan_changed billing', 'license.payment_recovered billing']);
    await recordHistory(stack.temporal, repairRun, 'stripe-reconciliation-repairs');
  });

  it('is a Temporal Schedule created at start-up, or updated when it exists', async () => {
    const client = stack.temporal;
    try {
      expect((await ensureLicenseSchedules(client, stack.taskQueue, { reconcileEvery: null, stripeReconcileCron: '17 3 * * *' }))[STRIPE_RECONCILIATION_SCHEDULE_ID]).toBe('created');
      expect((await ensureLicenseSchedules(client, stack.taskQueue, { reconcileEvery: null, stripeReconcileCron: '5 4 * * *' }))[STRIPE_RECONCILIATION_SCHEDULE_ID]).toBe('updated');
      const described = await client.schedule.getHandle(STRIPE_RECONCILIATION_SCHEDULE_ID).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'stripeReconciliationWorkflow', taskQueue: stack.taskQueue });
      expect(JSON.stringify(described.spec)).toMatch(/"hour":\[\{"start":4/);
    } finally {
      await client.schedule.getHandle(STRIPE_RECONCILIATION_SCHEDULE_ID).delete().catch(() => undefined);
    }
  });
});
