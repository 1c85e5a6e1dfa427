/**
 * `npm run bench` (after the API benchmarks), or `npm run bench:flows` alone: the flows that
 * go through Temporal and a provider, end to end on the real processes (bench/flows-stack.ts).
 *
 * 1. Checkout storm: BENCH_CHECKOUTS (default 1,000) Stripe checkouts, BENCH_STORM_CONCURRENCY
 *    (default 50) at a time; purchase to key email handed to Customer.io, p50 and p99 (target:
 *    p99 under 5 s). Then the same number at each steady rate of BENCH_STORM_RATES (checkouts
 *    per second, default 20,30; empty: none), sent whatever the answers, as sales arrive.
 * 2. Reminder burst: BENCH_REMINDERS (default 10,000) licenses expiring the same day, their
 *    reminders due in the same instant, BENCH_BURST_LEAD_S (default 150) after the run starts;
 *    from due to all delivered, the worker's peak RSS, Customer.io's requests per second.
 *
 * Customer.io is local and takes BENCH_PROVIDER_LIMIT (default 100) requests per second on each
 * of its APIs, answering 429 with Retry-After beyond; the worker is configured with the same
 * limit (CUSTOMERIO_RATE_LIMIT_PER_SECOND) and its default cache and concurrency.
 * BENCH_FLOWS=storm or =burst runs one of the two.
 */
import os from 'node:os';
import { checkoutStorm, type StormResult } from './checkout-storm.ts';
import { intEnv } from './env.ts';
import { startFlowsStack, type FlowsStack } from './flows-stack.ts';
import { reminderBurst } from './reminder-burst.ts';
import { fmt } from './report.ts';

const CHECKOUTS = intEnv('BENCH_CHECKOUTS', 1_000, 1);
const STORM_CONCURRENCY = intEnv('BENCH_STORM_CONCURRENCY', 50, 1);
const STORM_RATES = (process.env.BENCH_STORM_RATES ?? '20,30').split(',').map((rate) => rate.trim()).filter(Boolean).map(Number);
const REMINDERS = intEnv('BENCH_REMINDERS', 10_000, 1);
const LEAD_S = intEnv('BENCH_BURST_LEAD_S', 150, 10);
const PROVIDER_LIMIT = intEnv('BENCH_PROVIDER_LIMIT', 100, 1);
const FLOWS = (process.env.BENCH_FLOWS ?? 'storm,burst').split(',').map((flow) => flow.trim());
const TARGET_EMAIL_P99_MS = 5_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const s = (ms: number) => `${fmt(ms / 1000, 2)} s`;
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

function reportStorm(storm: StormResult): void {
  const pass = storm.emailed === storm.checkouts && storm.emailP99Ms < TARGET_EMAIL_P99_MS && storm.duplicates === 0;
  log(`  key emails handed to Customer.io: ${storm.emailed} of ${storm.checkouts} (${storm.duplicates} twice); Customer.io answered ${storm.refused} requests 429`);
  log(`  webhook answer: p50 ${s(storm.webhookP50Ms)}, p99 ${s(storm.webhookP99Ms)} (redeliveries included); ${storm.redelivered} checkout events answered 503/409 and were delivered again, as Stripe would`);
  log(`  purchase → key email: p50 ${s(storm.emailP50Ms)}, p99 ${s(storm.emailP99Ms)}, max ${s(storm.emailMaxMs)}   target p99 < ${s(TARGET_EMAIL_P99_MS)}: ${pass ? 'PASS' : 'FAIL'}`);
  log(`  key emails not yet handed over 30 s after the last checkout was sent: ${storm.unsentAfter30s}`);
  const { phases } = storm;
  const step = (name: keyof Omit<typeof phases, 'sampled'>) => `p50 ${s(phases[name].p50)}, p99 ${s(phases[name].p99)}`;
  log(`  where the time goes (${phases.sampled} purchases, from their delivery workflows' histories):`);
  log(`    checkout sent → key delivery workflow started: ${step('toDeliveryStart')}`);
  log(`    started → its first workflow task picked up by the worker: ${step('toFirstTask')}`);
  log(`    first task → key email handed to Customer.io: ${step('toHandedOver')}`);
  log(`  CPU used in the ${fmt(storm.wallSeconds, 1)} s from the first checkout to the last email: ${storm.cpu}`);
}

async function main() {
  log(`\nKeywarden flow bench: Customer.io limit ${PROVIDER_LIMIT} req/s per API, ${os.cpus().length} CPUs, node ${process.version}, load average ${loadAverage()}`);
  let stack: FlowsStack | undefined;
  const stop = async () => {
    await stack?.stop();
    stack = undefined;
  };
  process.once('SIGINT', () => {
    log('\ninterrupted: stopping the stack');
    void stop().finally(() => process.exit(130));
  });
  try {
    const started = performance.now();
    stack = await startFlowsStack({ providerLimit: PROVIDER_LIMIT, workerEnv: { CUSTOMERIO_RATE_LIMIT_PER_SECOND: String(PROVIDER_LIMIT) }, log });
    log(`Stack up in ${fmt((performance.now() - started) / 1000, 1)} s: Postgres, Temporal dev server, worker (pid ${stack.worker.pid}), API, local Customer.io`);

    if (FLOWS.includes('storm')) {
      log(`\nCheckout storm: ${CHECKOUTS.toLocaleString('en-US')} checkouts, ${STORM_CONCURRENCY} at a time (each sent as soon as one is answered)`);
      reportStorm(await checkoutStorm(stack, { checkouts: CHECKOUTS, concurrency: STORM_CONCURRENCY, log }));
      for (const rate of STORM_RATES) {
        log(`\nCheckout storm at a steady ${rate} checkouts a second: ${CHECKOUTS.toLocaleString('en-US')} checkouts`);
        reportStorm(await checkoutStorm(stack, { checkouts: CHECKOUTS, concurrency: STORM_CONCURRENCY, ratePerSecond: rate, log }));
      }
    }
    if (FLOWS.includes('burst')) {
      log(`\nReminder burst: ${REMINDERS.toLocaleString('en-US')} licenses expiring the same day`);
      const burst = await reminderBurst(stack, { reminders: REMINDERS, leadSeconds: LEAD_S, providerLimit: PROVIDER_LIMIT, log });
      const exact = burst.sent === burst.reminders && burst.duplicates === 0 && Object.keys(burst.notSent).length === 0;
      log(`  delivered: ${burst.sent.toLocaleString('en-US')} of ${burst.reminders.toLocaleString('en-US')} SENT, others ${JSON.stringify(burst.notSent)}, accepted twice by Customer.io: ${burst.duplicates}   ${exact ? 'PASS' : 'FAIL'}`);
      log(`  from due to all recorded: ${fmt(burst.recordedSeconds, 1)} s; to all delivered: ${fmt(burst.deliveredSeconds, 1)} s (the limit alone allows ${fmt(burst.floorSeconds, 0)} s: ${REMINDERS.toLocaleString('en-US')} × 2 requests ÷ ${PROVIDER_LIMIT}/s)`);
      log(`  Customer.io: ${fmt(burst.providerRps, 1)} accepted req/s over the burst, at most ${burst.providerPeakRps} in any one second; ${burst.refused} answered 429`);
      log(`  worker RSS: ${fmt(burst.workerRssBeforeMiB, 0)} MiB when due, peak ${fmt(burst.workerPeakRssMiB, 0)} MiB during the burst, high-water mark ${fmt(burst.workerHighWaterMiB, 0)} MiB over the run (workflow starts included)`);
      log(`  a license bought 15 s into the burst: key email handed to Customer.io ${s(burst.purchaseDuringBurstMs)} after its checkout`);
      log(`  CPU used from due to the end: ${burst.cpu}`);
    }
    log(`\nLoad average at the end: ${loadAverage()}`);
  } finally {
    await stop();
  }
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error('flow bench failed:', error);
}
