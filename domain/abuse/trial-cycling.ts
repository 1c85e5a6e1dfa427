import net from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbusePolicy } from '../../schema/abuse/abuse-policy.ts';
import { effectiveAbusePolicy } from './abuse-policy.ts';
import type { AbuseFinding } from './abuse-finding.ts';
import { normalizeEmail } from './normalize-email.ts';

const WINDOW_MS = 30 * 86_400_000;

/** Addresses many unrelated people share (loopback, private networks, CGNAT): never evidence that two trials are one person. */
const SHARED_RANGES = new net.BlockList();
for (const [network, prefix] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['127.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16]] as const) SHARED_RANGES.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) SHARED_RANGES.addSubnet(network, prefix, 'ipv6');
const publicAddress = (ip: string) => net.isIP(ip) !== 0 && !SHARED_RANGES.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6');

type Signal = 'fingerprint' | 'ip' | 'email' | 'card';
interface Trial {
  id: string;
  createdAt: Date;
  email: string | null;
  planId: string;
}

/** Trials joined by anything they share, as connected groups (union-find over trial ids). */
class Groups {
  readonly #parent = new Map<string, string>();
  find(id: string): string {
    const parent = this.#parent.get(id) ?? id;
    if (parent === id) return id;
    const root = this.find(parent);
    this.#parent.set(id, root);
    return root;
  }
  join(ids: readonly string[]) {
    for (const id of ids.slice(1)) this.#parent.set(this.find(id), this.find(ids[0]!));
  }
}

/**
 * TRIAL_CYCLING: trials of the last 30 days that share a machine fingerprint, a public address,
 * a normalized e-mail (plus-addressing and dots removed) or a Stripe card fingerprint. Trials
 * linked by any of these form one group; a group larger than its newest trial's plan allows
 * (trials_per_identity) raises one alert on that newest trial, listing every trial and what they share.
 */
export async function findTrialCycling(em: EntityManager, now: Date, policies: Map<string, AbusePolicy>): Promise<AbuseFinding[]> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const connection = em.getConnection();
  const trials = (await connection.execute<{ id: string; created_at: Date; email: string | null; plan_id: string }[]>(
    `select l.id, l.created_at, c.email, l.plan_id from license l left join customer c on c.id = l.customer_id
      where l.trial_ends_at is not null and l.created_at > ? and l.created_at <= ?`,
    [since, now],
  )).map((row): Trial => ({ id: row.id, createdAt: new Date(row.created_at), email: row.email, planId: row.plan_id }));
  if (trials.length < 2) return [];
  const ids = JSON.stringify(trials.map((trial) => trial.id));
  const identities = await connection.execute<{ license_id: string; signal: Signal; value: string }[]>(
    `with trials as (select (jsonb_array_elements_text(?::jsonb))::uuid as id)
     select distinct a.license_id, 'fingerprint' as signal, a.fingerprint as value from activation a join trials t on t.id = a.license_id
     union select distinct a.license_id, 'ip', a.ip from activation a join trials t on t.id = a.license_id where a.ip is not null
     union select distinct e.license_id, 'fingerprint', e.fingerprint from usage_event e join trials t on t.id = e.license_id where e.fingerprint is not null and e.occurred_at > ?
     union select distinct e.license_id, 'ip', e.ip from usage_event e join trials t on t.id = e.license_id where e.ip is not null and e.occurred_at > ?
     union select distinct s.license_id, 'card', s.payload #>> '{data,object,payment_method_details,card,fingerprint}' from stripe_event s join trials t on t.id = s.license_id
      where s.payload #>> '{data,object,payment_method_details,card,fingerprint}' is not null`,
    [ids, since, since],
  );
  for (const trial of trials) if (trial.email) identities.push({ license_id: trial.id, signal: 'email', value: normalizeEmail(trial.email) });

  const bySignal = new Map<string, { signal: Signal; value: string; licenses: Set<string> }>();
  for (const { license_id, signal, value } of identities) {
    if (signal === 'ip' && !publicAddress(value)) continue;
    const key = `${signal}\0${value}`;
    const entry = bySignal.get(key) ?? { signal, value, licenses: new Set<string>() };
    entry.licenses.add(license_id);
    bySignal.set(key, entry);
  }
  const groups = new Groups();
  const shared = [...bySignal.values()].filter((entry) => entry.licenses.size > 1);
  for (const entry of shared) groups.join([...entry.licenses]);

  const members = new Map<string, Trial[]>();
  for (const trial of trials) {
    const root = groups.find(trial.id);
    members.set(root, [...(members.get(root) ?? []), trial]);
  }
  const findings: AbuseFinding[] = [];
  for (const group of members.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    const newest = group[group.length - 1]!;
    const policy = policies.get(newest.planId) ?? effectiveAbusePolicy(null);
    if (group.length <= policy.trialsPerIdentity) continue;
    const inGroup = new Set(group.map((trial) => trial.id));
    const links = shared.filter((entry) => [...entry.licenses].some((id) => inGroup.has(id))).map((entry) => ({ signal: entry.signal, value: entry.value, trials: entry.licenses.size }));
    findings.push({
      licenseId: newest.id,
      kind: 'TRIAL_CYCLING',
      windowStart: group[0]!.createdAt,
      windowEnd: now,
      evidence: { trials: group.map((trial) => ({ license_id: trial.id, email: trial.email, created_at: trial.createdAt.toISOString() })), shared: links, threshold: policy.trialsPerIdentity },
      summary: `${group.length} trials within 30 days sharing ${links.map((link) => `${link.signal} ${link.value}`).join(', ')} (plan allows ${policy.trialsPerIdentity})`,
    });
  }
  return findings;
}
