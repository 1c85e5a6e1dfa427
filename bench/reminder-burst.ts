/**
 * A burst of reminders: `count` licenses expiring the same day (a cohort imported or sold on
 * one date), so each one's 7-day renewal reminder falls due at the same instant. Their
 * workflows are started ahead of it; then the run measures, from that instant, how long until
 * every reminder is recorded and every one delivered to Customer.io, which takes at most its
 * limit per second and answers 429 beyond it; the worker's RSS throughout; the requests per
 * second Customer.io accepted; and that each reminder reached it exactly once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { licenseWorkflowStartOptions } from '../temporal/license-workflow-start.ts';
import { licenseKeyHint, generateLicenseKey } from '../lib/license-key.ts';
import type { LicenseEntity } from '../schema/license/license.entity.ts';
import { POLICY_DEFAULTS } from '../schema/plan/plan-policy.ts';
import { timeOnePurchase } from './checkout-storm.ts';
import { cpuUsed, inParallel, memoryOf, sampleRss, type FlowsStack } from './flows-stack.ts';

const DAY = 86_400_000;
const BATCH = 5_000;

export interface BurstResult {
  reminders: number;
  /** Starting the cohort's workflows, before the burst (not part of the burst's figures). */
  startSeconds: number;
  recordedSeconds: number;
  deliveredSeconds: number;
  /** What the provider's limit alone allows: requests ÷ limit. */
  floorSeconds: number;
  sent: number;
  notSent: Record<string, number>;
  /** Accepted requests per second, over the burst, and the most in any one second. */
  providerRps: number;
  providerPeakRps: number;
  refused: number;
  /** Events Customer.io accepted more than once (it drops the repeats by id, as the real one does). */
  duplicates: number;
  workerRssBeforeMiB: number;
  workerPeakRssMiB: number;
  workerHighWaterMiB: number;
  /** CPU each process used from due to the end. */
  cpu: string;
  /** A license bought 15 s into the burst: from its checkout to its key email handed over. */
  purchaseDuringBurstMs: number;
}

/** One product, one plan (default reminders: 90, 30, 14, 7, 0 days), `count` customers and licenses expiring `expiresAt`. */
async function seedCohort(databaseUrl: string, count: number, expiresAt: Date) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const run = randomBytes(4).toString('hex');
    const productId = randomUUID();
    const planId = randomUUID();
    await client.query(`insert into product (id, code, name, metadata, created_at, updated_at) values ($1, $2, 'Cohort product', '{}', now(), now())`, [productId, `cohort-${run}`]);
    await client.query(
      `insert into plan (id, product_id, code, name, tier, features, seat_limit, seat_model, term_kind, term_days, created_at, updated_at)
       values ($1, $2, $3, 'Cohort', 'pro', '{}', 5, 'DEVICE', 'DURATION', 365, now(), now())`,
      [planId, productId, `cohort-${run}`],
    );
    const licenses: Array<{ id: string; keyHint: string; email: string }> = [];
    const createdAt = new Date();
    for (let from = 0; from < count; from += BATCH) {
      const ids: string[] = [];
      const customerIds: string[] = [];
      const emails: string[] = [];
      const hints: string[] = [];
      const hashes: string[] = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const id = randomUUID();
        const hint = licenseKeyHint(generateLicenseKey());
        ids.push(id);
        customerIds.push(randomUUID());
        emails.push(`cohort-${i}-${run}@example.com`);
        hints.push(hint);
        hashes.push(randomBytes(32).toString('hex'));
        licenses.push({ id, keyHint: hint, email: emails.at(-1)! });
      }
      await client.query(
        `insert into customer (id, email, metadata, created_at, updated_at) select u.id, u.email, '{}', $3, $3 from unnest($1::uuid[], $2::varchar[]) as u(id, email)`,
        [customerIds, emails, createdAt],
      );
      await client.query(
        `insert into license (id, key_hash, key_hint, status, plan_id, customer_id, overrides, expires_at, metadata, version, created_at, updated_at)
         select u.id, u.key_hash, u.key_hint, 'ACTIVE', $4, u.customer_id, '{}', $6, '{}', 1, $7, $7
           from unnest($1::uuid[], $2::varchar[], $3::varchar[], $5::uuid[]) as u(id, key_hash, key_hint, customer_id)`,
        [ids, hashes, hints, planId, customerIds, expiresAt, createdAt],
      );
    }
    await client.query('analyze');
    return { planId, planCode: `cohort-${run}`, licenses, createdAt };
  } finally {
    await client.end();
  }
}

async function outboxProgress(client: pg.Client, due: Date) {
  const { rows } = await client.query<{ recorded: number; sent: number; pending: number; last_recorded: Date | null; last_sent: Date | null }>(
    `select count(*)::int as recorded, count(*) filter (where status = 'SENT')::int as sent, count(*) filter (where status = 'PENDING')::int as pending,
            max(created_at) as last_recorded, max(sent_at) as last_sent
       from outbox_message where event = 'renewal_reminder' and created_at >= $1`,
    [new Date(due.getTime() - 60_000)],
  );
  return rows[0]!;
}

/**
 * How long starting `count` workflows will take on this server, from starting 200 that no
 * worker runs (their task queue has no poller): the burst is set to fall due after them.
 */
async function startSecondsFor(stack: FlowsStack, count: number): Promise<number> {
  const probe = 200;
  const started = performance.now();
  await inParallel(Array.from({ length: probe }, (_, i) => i), 50, async (i) => {
    await stack.temporal.workflow.start('startRateProbe', { taskQueue: 'bench-start-rate-probe', workflowId: `start-rate-probe-${randomBytes(4).toString('hex')}-${i}`, args: [] });
  });
  return ((performance.now() - started) / 1000) * (count / probe);
}

export async function reminderBurst(stack: FlowsStack, options: { reminders: number; leadSeconds: number; providerLimit: number; log: (line: string) => void }): Promise<BurstResult> {
  const { log } = options;
  const estimate = await startSecondsFor(stack, options.reminders);
  const leadSeconds = Math.max(options.leadSeconds, Math.ceil(estimate * 1.5 + 30));
  log(`  this server starts ${(options.reminders / estimate).toFixed(0)} workflows/s: the reminders fall due in ${leadSeconds} s, after the workflows have started`);
  const due = new Date(Date.now() + leadSeconds * 1000);
  let started = performance.now();
  const cohort = await seedCohort(stack.databaseUrl, options.reminders, new Date(due.getTime() + 7 * DAY));
  log(`  seeded ${options.reminders.toLocaleString('en-US')} licenses expiring ${new Date(due.getTime() + 7 * DAY).toISOString()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  await inParallel(cohort.licenses, 50, async (license) => {
    const row = { id: license.id, status: 'ACTIVE', keyHint: license.keyHint, expiresAt: new Date(due.getTime() + 7 * DAY), trialEndsAt: null, version: 1, statusReason: null, createdAt: cohort.createdAt } as unknown as LicenseEntity;
    await stack.temporal.workflow.start('licenseWorkflow', licenseWorkflowStartOptions(stack.taskQueue, { license: row, planId: cohort.planId, planCode: cohort.planCode, policy: POLICY_DEFAULTS, customerEmail: license.email }));
  });
  const startSeconds = (performance.now() - started) / 1000;
  log(`  started their ${options.reminders.toLocaleString('en-US')} workflows in ${startSeconds.toFixed(1)} s (${(options.reminders / startSeconds).toFixed(0)}/s)`);
  if (Date.now() > due.getTime() - 5_000) log(`  warning: the workflows were still starting when the reminders fell due; raise BENCH_BURST_LEAD_S`);

  const pid = stack.worker.pid!;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now())));
  const workerRssBeforeMiB = memoryOf(pid).rssMiB;
  const sampler = sampleRss(pid);
  const cpuBefore = stack.cpu();
  // A buyer in the middle of it: the key email must not wait for the reminders.
  const purchase = new Promise((resolve) => setTimeout(resolve, 15_000)).then(() => timeOnePurchase(stack));
  purchase.catch(() => undefined);
  const refusedBefore = stack.cio.requests.filter((r) => r.limited).length;
  log(`  ${due.toISOString()}: ${options.reminders.toLocaleString('en-US')} reminders due; worker RSS ${workerRssBeforeMiB.toFixed(0)} MiB`);

  const floorSeconds = (options.reminders * 2) / options.providerLimit;
  // Generous: on a busy machine the Temporal dev server, not the provider, sets the pace.
  const deadline = due.getTime() + Math.max(1_800_000, floorSeconds * 4_000, options.reminders * 500);
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  let progress = await outboxProgress(client, due);
  let lastLog = Date.now();
  try {
    while ((progress.recorded < options.reminders || progress.pending > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      progress = await outboxProgress(client, due);
      if (Date.now() - lastLog >= 20_000) {
        lastLog = Date.now();
        log(`  +${((Date.now() - due.getTime()) / 1000).toFixed(0)} s: ${progress.recorded} recorded, ${progress.sent} sent, ${progress.pending} waiting; worker RSS ${memoryOf(pid).rssMiB.toFixed(0)} MiB`);
      }
    }
    const { rows: statuses } = await client.query<{ status: string; n: number }>(`select status, count(*)::int as n from outbox_message where event = 'renewal_reminder' group by status`);
    const notSent = Object.fromEntries(statuses.filter((s) => s.status !== 'SENT').map((s) => [s.status, s.n]));
    const workerPeakRssMiB = sampler.stop();
    const cpu = cpuUsed(cpuBefore, stack.cpu());

    const accepted = stack.cio.requests.filter((r) => (r.route === 'identify' || r.route === 'track') && r.status === 200 && r.at >= due.getTime()).map((r) => r.at);
    // In arrival order, so ascending.
    const first = accepted[0] ?? NaN;
    const last = accepted.at(-1) ?? NaN;
    let peak = 0;
    for (let i = 0, j = 0; i < accepted.length; i++) {
      while (accepted[i]! - accepted[j]! >= 1_000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const tracked = new Map<string, number>();
    for (const r of stack.cio.received('track')) if (r.status === 200 && r.at >= due.getTime()) tracked.set(r.body.id, (tracked.get(r.body.id) ?? 0) + 1);
    return {
      reminders: options.reminders,
      startSeconds,
      recordedSeconds: progress.last_recorded ? (new Date(progress.last_recorded).getTime() - due.getTime()) / 1000 : NaN,
      deliveredSeconds: progress.last_sent ? (new Date(progress.last_sent).getTime() - due.getTime()) / 1000 : NaN,
      floorSeconds,
      sent: progress.sent,
      notSent,
      providerRps: accepted.length / Math.max((last - first) / 1000, 1e-3),
      providerPeakRps: peak,
      refused: stack.cio.requests.filter((r) => r.limited).length - refusedBefore,
      duplicates: [...tracked.values()].filter((n) => n > 1).length,
      workerRssBeforeMiB,
      workerPeakRssMiB,
      workerHighWaterMiB: memoryOf(pid).peakMiB,
      cpu,
      purchaseDuringBurstMs: await purchase,
    };
  } finally {
    sampler.stop();
    await client.end();
  }
}
