import { pino } from 'pino';
import { createActivities } from '../../activities/index.ts';
import type { OutreachConfig, ProviderRateLimits } from '../../lib/outreach-config.ts';
import { OutboxMessage } from '../../schema/entities.ts';
import type { LicenseWorkerOptions } from '../../worker/worker.ts';
import type { OutboxMessageEntity } from '../../schema/outbox/outbox-message.entity.ts';
import { startApiStack, type ApiStack } from './api-stack.ts';
import { fakeCustomerIo, fakeHubSpot, selfSignedCertificate } from './fake-providers.ts';
import { insertLicense } from './licenses.ts';
import { eventually } from './poll.ts';
import { testLogger } from './temporal.ts';
import { LifecycleClient } from '../../temporal/lifecycle-client.ts';

const DAY = 86_400_000;
export const OUTREACH_RETRY = { initialIntervalMs: 300, maximumIntervalMs: 1_000, maximumAttempts: 5 };

export interface OutreachStack {
  stack: ApiStack;
  cio: ReturnType<typeof fakeCustomerIo>;
  hub: ReturnType<typeof fakeHubSpot>;
  outreach: OutreachConfig;
  activities: ReturnType<typeof createActivities>;
  /** A license's outbox rows, oldest first. */
  rows(licenseId: string): Promise<OutboxMessageEntity[]>;
  /** The license's latest message of this event once it is no longer PENDING. */
  settled(licenseId: string, event: string, options?: { timeoutMs?: number; after?: number }): Promise<OutboxMessageEntity>;
  /** What the worker's deliveries warned about (a failed attempt: `outboxId`, `status`, `attempt`), oldest first. */
  deliveryWarnings: Array<{ outboxId?: string; status?: number | null; attempt?: number; msg: string }>;
  /** A license on the `enterprise` tier (CRM-managed), its customer known to HubSpot (contact 501, company 601, owner 777). */
  enterpriseLicense(expiresInDays: number): ReturnType<typeof insertLicense>;
  close(): Promise<void>;
}

export interface LocalProviders {
  cio: ReturnType<typeof fakeCustomerIo>;
  hub: ReturnType<typeof fakeHubSpot>;
  /** The outreach configuration that points at them. */
  outreach: OutreachConfig;
  /** What the worker's delivery needs to reach them: the configuration, their CA, short retries. */
  delivery: LicenseWorkerOptions['delivery'];
  close(): Promise<void>;
}

/** Local Customer.io (TLS, a throw-away CA) and HubSpot servers, and the configuration that reaches them. */
export async function startLocalProviders(options: { rateLimits?: ProviderRateLimits } = {}): Promise<LocalProviders> {
  const tls = selfSignedCertificate();
  const cio = fakeCustomerIo({ siteId: 'site-1', trackApiKey: 'track-key', appApiKey: 'app-key' });
  const hub = fakeHubSpot('pat-na1-test', { companies: { '601': '777' }, contacts: { '501': '555' } });
  await Promise.all([cio.start(tls), hub.start()]);
  const outreach: OutreachConfig = {
    customerio: { siteId: 'site-1', trackApiKey: 'track-key', appApiKey: 'app-key', region: 'us', trackUrl: `${cio.url}/api/v1`, apiUrl: `${cio.url}/v1`, licenseIssuedMessageId: '7' },
    hubspot: { accessToken: 'pat-na1-test', basePath: hub.url, crmTiers: ['enterprise'] },
    renewalUrlTemplate: 'https://billing.example.com/renew?license={license_id}',
    // Short enough that a hung request costs a test little, long enough that a loaded machine's
    // slow answer is not taken for a hung one (tests assert outcomes, never attempt counts).
    httpTimeoutMs: 2_000,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  };
  return {
    cio,
    hub,
    outreach,
    delivery: { outreach, providerTls: { ca: tls.cert }, deliveryRetry: OUTREACH_RETRY },
    close: async () => void (await Promise.all([cio.close(), hub.close()])),
  };
}

/**
 * The API stack with its worker delivering through local Customer.io (TLS) and HubSpot servers,
 * and the activities built against them: real clients, faked only at the providers' HTTP boundary.
 */
export async function startOutreachStack(options: { rateLimits?: ProviderRateLimits } = {}): Promise<OutreachStack> {
  const providers = await startLocalProviders(options);
  const { cio, hub, outreach } = providers;
  const deliveryWarnings: OutreachStack['deliveryWarnings'] = [];
  const workerLogger = pino({ level: 'warn' }, { write: (line: string) => void deliveryWarnings.push(JSON.parse(line)) });
  const stack = await startApiStack({ delivery: providers.delivery, workerLogger });
  const activities = createActivities({ em: stack.db.orm.em, logger: testLogger, lifecycle: new LifecycleClient({ client: stack.temporal, em: stack.db.orm.em, taskQueue: stack.taskQueue, deliveryRetry: OUTREACH_RETRY }), outreach, providerTls: providers.delivery.providerTls });

  const rows = (licenseId: string) => stack.db.orm.em.fork().find(OutboxMessage, { license: licenseId }, { orderBy: { createdAt: 'asc' } });
  const settled: OutreachStack['settled'] = (licenseId, event, options = {}) =>
    eventually(
      async () => {
        const row = (await rows(licenseId)).filter((m) => m.event === event).slice(options.after ?? 0)[0];
        return row && row.status !== 'PENDING' ? row : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, what: `${event} of ${licenseId} to be delivered` },
    );
  async function enterpriseLicense(expiresInDays: number) {
    const em = stack.db.orm.em;
    const created = await insertLicense(em, stack.secret, { expiresAt: new Date(Date.now() + expiresInDays * DAY) }, { seatLimit: 10 });
    await em.fork().execute(`update plan set tier = 'enterprise' where id = ?`, [created.plan.id]);
    await em.fork().execute(`update customer set name = 'Ada Lovelace', hubspot_contact_id = '501', hubspot_company_id = '601' where email = ?`, [created.customerEmail]);
    return created;
  }
  return {
    stack,
    cio,
    hub,
    outreach,
    activities,
    rows,
    settled,
    deliveryWarnings,
    enterpriseLicense,
    close: async () => {
      await stack.close();
      await providers.close();
    },
  };
}
