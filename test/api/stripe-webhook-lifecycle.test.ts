import { checkoutObject, chargeObject, invoiceObject, expectAppliedOnce, stripeEvent, subscriptionObject, future, suffix, useStripeStack } from '../support/stripe.ts';

describe('Stripe events drive the license lifecycle: provisioning, renewals, payments, plan changes, trials, refunds', () => {
  const t = useStripeStack();
  const { post, sql, licenseOf, license, until, eventRow, catalog } = t;

  it('provisions exactly one license from a duplicate storm (each event five times at once), then renews, fails, recovers', async () => {
    const { basic, basicPrice } = await catalog({ seat_model: 'DEVICE' });
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const email = `storm-${suffix()}@example.com`;
    const firstEnd = future(30);
    const created = stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, quantity: 3, periodEnd: firstEnd }));
    const checkout = stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email, domain: 'Example.com' }));
    const firstInvoice = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: firstEnd, price: basicPrice, billingReason: 'subscription_create' }));

    for (const event of [created, checkout, firstInvoice]) {
      expectAppliedOnce(await Promise.all(Array.from({ length: 5 }, () => post(event))));
    }
    const licenses = await sql<{ id: string; key_hash: string }>('select id, key_hash from license where stripe_subscription_id = ?', [subscription]);
    expect(licenses).toHaveLength(1);
    const id = licenses[0]!.id;
    const view = await license(id);
    expect(view).toMatchObject({ status: 'ACTIVE', plan: basic.code, seat_limit: 3, customer_email: email, expires_at: new Date(firstEnd).toISOString() });
    expect(view.policy.allowed_domains).toEqual(['example.com']);
    const [customerRow] = await sql('select stripe_customer_id from customer where email = ?', [email]);
    expect(customerRow!.stripe_customer_id).toBe(customer);
    const outbox = await sql('select event, idempotency_key, recipient, payload from outbox_message where license_id = ?', [id]);
    expect(outbox).toEqual([{ event: 'license_issued', idempotency_key: `license_issued:${id}`, recipient: email, payload: expect.objectContaining({ license_id: id, plan: basic.code }) }]);
    const key = t.stack.secret.decrypt((await sql<{ key_ciphertext: string }>('select key_ciphertext from license where id = ?', [id]))[0]!.key_ciphertext, `license:${id}`);
    expect(JSON.stringify(outbox)).not.toContain(key);
    expect((await eventRow(checkout.id))!.status).toBe('PROCESSED');
    expect((await eventRow(created.id))!.status).toBe('IGNORED');

    // The renewal: same key, new expiry from the period the invoice paid for.
    const secondEnd = future(60);
    const renewal = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: secondEnd, price: basicPrice }));
    await Promise.all(Array.from({ length: 5 }, () => post(renewal)));
    await until('the renewal', async () => ((await license(id)).expires_at === new Date(secondEnd).toISOString() ? true : undefined));
    expect((await sql('select key_hash from license where id = ?', [id]))[0]!.key_hash).toBe(licenses[0]!.key_hash);
    expect((await t.stack.request('POST', '/v1/validate', { body: { key, domain: 'example.com' }, token: null })).body).toMatchObject({ valid: true, code: 'VALID' });

    // A failed payment: PAST_DUE (a warning), then a later successful payment: ACTIVE again.
    const thirdEnd = future(90);
    const failed = stripeEvent('invoice.payment_failed', invoiceObject({ subscription, customer, periodEnd: thirdEnd, price: basicPrice }));
    await Promise.all(Array.from({ length: 5 }, () => post(failed)));
    await until('PAST_DUE', async () => ((await license(id)).status === 'PAST_DUE' ? true : undefined));
    // The worker's write reaches this replica's validation cache by NOTIFY, a moment after its commit.
    const pastDue = await until('validation to say PAST_DUE', async () => {
      const answer = (await t.stack.request('POST', '/v1/validate', { body: { key, domain: 'example.com' }, token: null })).body;
      return answer.code === 'PAST_DUE' ? answer : undefined;
    });
    expect(pastDue).toMatchObject({ valid: true, code: 'PAST_DUE' });
    // The row is written by the workflow's activity a moment before the workflow's own state moves on.
    await until('the payment grace on the timeline', async () => {
      const timeline = (await t.stack.request('GET', `/v1/licenses/${id}/timeline`)).body;
      return timeline.upcoming.some((d: { kind: string }) => d.kind === 'payment_grace_end') ? true : undefined;
    });
    const recovered = stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: thirdEnd, price: basicPrice }));
    await post(recovered);
    await until('ACTIVE again', async () => ((await license(id)).status === 'ACTIVE' ? true : undefined));
    expect((await license(id)).expires_at).toBe(new Date(thirdEnd).toISOString());
    const audit = (await sql<{ action: string }>('select action from audit_event where license_id = ? order by created_at', [id])).map((r) => r.action);
    expect(audit.filter((a) => a === 'license.renewed')).toHaveLength(2);
    expect(audit.filter((a) => a === 'license.past_due')).toHaveLength(1);
  });

  it('applies upgrades at once and downgrades at the end of the period', async () => {
    const { basic, pro, basicPrice, proPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const end = future(30);
    const base = subscriptionObject(subscription, { customer, price: basicPrice, quantity: 2, unitAmount: 1000, periodEnd: end });
    await post(stripeEvent('customer.subscription.created', base));
    await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `plans-${suffix()}@example.com` })));
    const id = (await licenseOf(subscription))!;

    const upgraded = subscriptionObject(subscription, { customer, price: proPrice, quantity: 5, unitAmount: 3000, periodEnd: end });
    await post(stripeEvent('customer.subscription.updated', upgraded, { previous: { items: base.items } }));
    await until('the upgrade', async () => ((await license(id)).plan === pro.code ? true : undefined));
    expect((await license(id)).seat_limit).toBe(5);

    const downgraded = subscriptionObject(subscription, { customer, price: basicPrice, quantity: 1, unitAmount: 1000, periodEnd: end });
    await post(stripeEvent('customer.subscription.updated', downgraded, { previous: { items: upgraded.items } }));
    const timeline = await until('the scheduled downgrade', async () => {
      const body = (await t.stack.request('GET', `/v1/licenses/${id}/timeline`)).body;
      return body.scheduled_plan_change ? body : undefined;
    });
    expect(timeline.scheduled_plan_change).toEqual({ plan: basic.code, effective_at: new Date(end).toISOString() });
    expect((await license(id)).plan).toBe(pro.code);
  });

  it('starts a trialing subscription as a trial, moves its end on Stripe\'s notice with a reminder, and converts on payment', async () => {
    const { basicPrice } = await catalog();
    const subscription = `sub_${suffix()}`;
    const customer = `cus_${suffix()}`;
    const [trialEnd, movedEnd, paidThrough] = [future(14), future(10), future(44)];
    const trialing = subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: trialEnd, status: 'trialing', trialEnd });
    await post(stripeEvent('customer.subscription.created', trialing));
    await post(stripeEvent('checkout.session.completed', { ...checkoutObject({ subscription, customer, email: `trial-${suffix()}@example.com` }), payment_status: 'no_payment_required' }));
    const id = (await licenseOf(subscription))!;
    expect(await license(id)).toMatchObject({ status: 'TRIALING', trial_ends_at: new Date(trialEnd).toISOString(), expires_at: null });

    const notice = stripeEvent('customer.subscription.trial_will_end', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: movedEnd, status: 'trialing', trialEnd: movedEnd }));
    await Promise.all([post(notice), post(notice)]);
    await until('the moved trial end', async () => ((await license(id)).trial_ends_at === new Date(movedEnd).toISOString() ? true : undefined));
    // The reminder is queued by the activity after the one that moved the row: wait for it.
    const reminders = await until('the trial reminder', async () => {
      const rows = await sql('select event, payload from outbox_message where license_id = ? and event = ?', [id, 'trial_ending']);
      return rows.length ? rows : undefined;
    });
    expect(reminders).toEqual([{ event: 'trial_ending', payload: expect.objectContaining({ trial_ends_at: new Date(movedEnd).toISOString(), source: 'billing' }) }]);

    await post(stripeEvent('invoice.paid', invoiceObject({ subscription, customer, periodEnd: paidThrough, price: basicPrice, billingReason: 'subscription_cycle' })));
    await until('the conversion', async () => ((await license(id)).status === 'ACTIVE' ? true : undefined));
    expect((await license(id)).expires_at).toBe(new Date(paidThrough).toISOString());
  });

  it('revokes on a refund or a dispute, and never brings a revoked license back', async () => {
    const { basicPrice } = await catalog();
    const provision = async () => {
      const subscription = `sub_${suffix()}`;
      const customer = `cus_${suffix()}`;
      await post(stripeEvent('customer.subscription.created', subscriptionObject(subscription, { customer, price: basicPrice, periodEnd: future(30) })));
      await post(stripeEvent('checkout.session.completed', checkoutObject({ subscription, customer, email: `refund-${suffix()}@example.com` })));
      return { subscription, customer, id: (await licenseOf(subscription))! };
    };

    const refunded = await provision();
    const paidThrough = future(30);
    const invoice = invoiceObject({ subscription: refunded.subscription, customer: refunded.customer, periodEnd: paidThrough, price: basicPrice });
    await post(stripeEvent('invoice.paid', invoice));
    const partial = stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, invoice: invoice.id, refunded: false }));
    expect((await post(partial)).body.event.status).toBe('IGNORED');
    await post(stripeEvent('charge.refunded', chargeObject({ customer: refunded.customer, invoice: invoice.id })));
    await until('REVOKED by the refund', async () => ((await license(refunded.id)).status === 'REVOKED' ? true : undefined));
    const late = stripeEvent('invoice.paid', invoiceObject({ subscription: refunded.subscription, customer: refunded.customer, periodEnd: future(400), price: basicPrice }));
    const answer = await post(late);
    expect(answer.body.event).toMatchObject({ status: 'IGNORED', detail: expect.stringContaining('revoked') });
    expect(await license(refunded.id)).toMatchObject({ status: 'REVOKED', expires_at: new Date(paidThrough).toISOString() });

    const disputed = await provision();
    const charge = chargeObject({ customer: disputed.customer });
    await post(stripeEvent('charge.dispute.created', { id: `dp_${suffix()}`, object: 'dispute', reason: 'fraudulent', charge }));
    await until('REVOKED by the chargeback', async () => ((await license(disputed.id)).status === 'REVOKED' ? true : undefined));
    expect((await license(disputed.id)).status_reason).toMatch(/chargeback/);
  });
});
