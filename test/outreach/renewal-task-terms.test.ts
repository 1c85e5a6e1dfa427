import { randomUUID } from 'node:crypto';
import { startOutreachStack, type OutreachStack } from '../support/outreach-stack.ts';

/** The account owner's HubSpot renewal task: there for every CRM-managed renewal, and kept true to the terms. */
describe('HubSpot renewal tasks: opened inside the 90-day window, kept up to date', () => {
  let outreach: OutreachStack;

  beforeAll(async () => {
    outreach = await startOutreachStack();
  });
  afterAll(async () => {
    await outreach?.close();
  });

  const remind = (licenseId: string, expiresAt: string, daysBefore: number) =>
    outreach.activities.recordNotification({
      licenseId,
      event: 'renewal_reminder',
      idempotencyKey: `${licenseId}:renewal_reminder:${expiresAt}:${daysBefore}`,
      data: { days_before: daysBefore, expires_at: expiresAt },
    });

  it('opens the task at the first reminder inside the window when the license started after the 90-day one', async () => {
    const { license } = await outreach.enterpriseLicense(30);
    const expiresAt = license.expiresAt!.toISOString();
    const tasksBefore = outreach.hub.tasks.size;
    await remind(license.id, expiresAt, 30);
    const task = await outreach.settled(license.id, 'renewal_task');
    expect(task).toMatchObject({ status: 'SENT', channel: 'hubspot', providerMessageId: expect.stringMatching(/^\d+$/) });
    expect(outreach.hub.tasks.size).toBe(tasksBefore + 1);
    expect(outreach.hub.tasks.get(task.providerMessageId!)!.properties).toMatchObject({ hs_task_status: 'NOT_STARTED', hubspot_owner_id: '777' });
  });

  it('refreshes the same task at each later reminder, never opening a second or reopening one its owner started', async () => {
    const { license } = await outreach.enterpriseLicense(90);
    const expiresAt = license.expiresAt!.toISOString();
    await remind(license.id, expiresAt, 90);
    const task = await outreach.settled(license.id, 'renewal_task');
    const created = outreach.hub.tasks.get(task.providerMessageId!)!;
    expect(created.properties.hs_task_body).toContain('Activations: 0 in the last 30 days');
    // The owner starts working on it; meanwhile the customer activates a machine.
    created.properties.hs_task_status = 'IN_PROGRESS';
    const now = new Date();
    await outreach.stack.db.orm.em.fork().execute(`insert into activation (id, license_id, fingerprint, kind, first_seen_at, last_seen_at) values (?, ?, 'new-laptop', 'MACHINE', ?, ?)`, [randomUUID(), license.id, now, now]);
    const tasksBefore = outreach.hub.tasks.size;

    await remind(license.id, expiresAt, 30);
    const refresh = await outreach.settled(license.id, 'renewal_task', { after: 1 });
    expect(refresh).toMatchObject({ status: 'SENT', providerMessageId: task.providerMessageId });
    expect(outreach.hub.tasks.size).toBe(tasksBefore);
    expect(created.properties.hs_task_body).toContain('Activations: 1 in the last 30 days');
    expect(created.properties.hs_task_status).toBe('IN_PROGRESS');
  });

  it('updates the tasks of the plan’s licenses when the plan’s name, tier or seats change', async () => {
    const { license, plan } = await outreach.enterpriseLicense(90);
    const expiresAt = license.expiresAt!.toISOString();
    await remind(license.id, expiresAt, 90);
    const task = await outreach.settled(license.id, 'renewal_task');
    const created = outreach.hub.tasks.get(task.providerMessageId!)!;
    expect(created.properties.hs_task_body).toContain('10 seat(s)');

    const edited = await outreach.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { name: 'Enterprise 2027', seat_limit: 25 } });
    expect(edited.status).toBe(200);
    const update = await outreach.settled(license.id, 'renewal_task_update');
    expect(update).toMatchObject({ status: 'SENT', providerMessageId: task.providerMessageId });
    expect(created.properties.hs_task_body).toContain('25 seat(s)');
    expect(created.properties.hs_task_subject).toContain('Enterprise 2027');
    expect(created.properties.hs_task_status).toBe('NOT_STARTED');

    // An edit that leaves the task's terms alone (features) queues nothing.
    await outreach.stack.request('PATCH', `/v1/plans/${plan.id}`, { body: { features: { export: true, audit_log: true } } });
    const updates = (await outreach.rows(license.id)).filter((row) => row.event === 'renewal_task_update');
    expect(updates).toHaveLength(1);
  });
});
