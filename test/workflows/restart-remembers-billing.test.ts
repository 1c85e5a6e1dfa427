import { workflowIdFor } from '../../workflows/license-state.ts';
import { runStatusQuery, stateQuery } from '../../workflows/messages.ts';
import type { reconcileLicensesWorkflow } from '../../workflows/reconcile-licenses.workflow.ts';
import { eventually } from '../support/poll.ts';
import { checkoutObject, invoiceObject, stripeEvent, subscriptionObject, future, suffix, useStripeStack } from '../support/stripe.ts';

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

describe('a license workflow started again from its row (dev server, Postgres, webhooks) remembers the billing facts it applied', () => {
  const t = useStripeStack();
  const { post, sql, licenseOf, license, until, untilStatus, catalog } = t;

  const handle = (id: string) => t.stack.temporal.workflow.getHandle(workflowIdFor(id));
  /** No fact queued, no transition half-way: whatever was signalled before has been handled. */
  const settled = (id: string) =>
    eventually(async () => {
      const [status, description] = await Promise.all([handle(id).query(runStatusQuery), handle(id).describe()]);
      return status.idle && !description.raw.pendingActivities?.length && !description.raw.pendingWorkflowTask ? true : undefined;
    }, { what: `license ${id}'s workflow to settle` });
  const billingActions = async (id: string) =>
    (await sql<{ action: string; actor: string }>(`select action, actor from audit_event where license_id = ? and actor like 'billing:%' order by created_at`, [id])).map((r) => `${r.action} ${r.actor.slice('billing:'.length)}`);
  const reconcile = () =>
    t.stack.temporal.workflow.execute<typeof reconcileLicensesWorkflow>('reconcileLicensesWorkflow', { workflowId: `reconcile-test-${suffix()}`, taskQueue: t.stack.taskQueue, args: [{ pageSize: 50 }] });

  /** A Stripe-sold license that renewed (paid), then failed to pay: PAST_DUE. */
  async function paidThenFailed() {
    const { basicPrice } = await catalog({ payment_grace_days: 5 });
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: future(30) })));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `restart-${suffix()}@example.com` }));
    await post(checkout);
    const id = (await licenseOf(subscription))!;
    const invoice = (periodEnd: string) => invoiceObject({ subscription, customer, periodEnd, price: basicPrice });
    const [paidThrough, nextEnd] = [future(60), future(90)];
    const paid = stripeEvent('invoice.paid', invoice(paidThrough));
    await post(paid);
    await until('the renewal', async () => ((await license(id)).expires_at === new Date(paidThrough).toISOString() ? true : undefined));
    const failed = stripeEvent('invoice.payment_failed', invoice(nextEnd));
    await post(failed);
    await untilStatus(id, 'PAST_DUE');
    await settled(id);
    return { id, checkout, paid, failed, invoice, paidThrough, nextEnd };
  }

  it('after the reconciler restarts a terminated workflow, a re-sent invoice.paid changes nothing and an older failure than the last payment does not make it PAST_DUE', async () => {
    const { id, checkout, paid, failed, invoice, nextEnd } = await paidThenFailed();
    await handle(id).terminate('operator mistake');
    const first = await reconcile();
    expect(first.sampleRepairs).toEqual([expect.objectContaining({ licenseId: id, kind: 'WORKFLOW_CLOSED', action: 'start_workflow' })]);
    const restarted = await handle(id).query(stateQuery);
    expect(restarted).toMatchObject({ status: 'PAST_DUE', lastPaymentFactAt: iso(failed.created) });
    expect(restarted.appliedEventIds).toEqual([paid.id, failed.id]);
    expect(restarted.appliedEventIds).not.toContain(checkout.id);

    // Replaying the payment hands the workflow the same event again: it was applied, so nothing moves.
    const replayed = await t.stack.request('POST', `/v1/stripe/events/${paid.id}/replay`);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', license_id: id });
    await settled(id);
    expect(await license(id)).toMatchObject({ status: 'PAST_DUE' });
    expect(await billingActions(id)).toEqual([`license.renewed ${paid.id}`, `license.past_due ${failed.id}`]);

    // A newer payment recovers it; then the workflow is terminated and restarted again.
    const recovered = stripeEvent('invoice.paid', invoice(nextEnd));
    await post(recovered);
    await untilStatus(id, 'ACTIVE');
    await settled(id);
    await handle(id).terminate('operator mistake');
    expect((await reconcile()).sampleRepairs).toEqual([expect.objectContaining({ licenseId: id, action: 'start_workflow' })]);
    expect(await handle(id).query(stateQuery)).toMatchObject({ status: 'ACTIVE', lastPaymentFactAt: iso(recovered.created) });

    // A failure Stripe created before that payment arrives late (a new event): older than the payment, it is ignored.
    const late = stripeEvent('invoice.payment_failed', invoice(nextEnd), { created: recovered.created - 5 });
    expect((await post(late)).body.event).toMatchObject({ status: 'PROCESSED', license_id: id });
    await eventually(async () => ((await handle(id).query(stateQuery)).appliedEventIds?.includes(late.id) ? true : undefined), { what: 'the late failure to be handled' });
    await settled(id);
    expect(await license(id)).toMatchObject({ status: 'ACTIVE', expires_at: new Date(nextEnd).toISOString() });
    expect((await billingActions(id)).filter((action) => action.startsWith('license.past_due'))).toEqual([`license.past_due ${failed.id}`]);
  });

  it('a webhook that finds the workflow terminated (before the reconciler) starts it from the row with the same memory', async () => {
    const { id, paid, failed, invoice, paidThrough } = await paidThenFailed();
    await handle(id).terminate('operator mistake');

    // signal-with-start: the replayed payment starts the workflow from the row, and is ignored by it.
    const replayed = await t.stack.request('POST', `/v1/stripe/events/${paid.id}/replay`);
    expect(replayed.body).toMatchObject({ status: 'PROCESSED', license_id: id });
    await settled(id);
    const state = await handle(id).query(stateQuery);
    expect(state).toMatchObject({ status: 'PAST_DUE', lastPaymentFactAt: iso(failed.created), appliedEventIds: [paid.id, failed.id] });
    expect(await license(id)).toMatchObject({ status: 'PAST_DUE' });

    // Its grace still counts (from the row's last change): the timeline ends it.
    const timeline = (await t.stack.request('GET', `/v1/licenses/${id}/timeline`)).body;
    expect(timeline.upcoming.map((deadline: { kind: string }) => deadline.kind)).toContain('payment_grace_end');
    const older = stripeEvent('invoice.paid', invoice(paidThrough), { created: failed.created - 5 });
    await post(older);
    await eventually(async () => ((await handle(id).query(stateQuery)).appliedEventIds?.includes(older.id) ? true : undefined), { what: 'the older payment to be handled' });
    await settled(id);
    expect(await license(id)).toMatchObject({ status: 'PAST_DUE' });
  });
});
