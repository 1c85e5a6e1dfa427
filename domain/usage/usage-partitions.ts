import type { EntityManager } from '@mikro-orm/postgresql';

const DAY_MS = 86_400_000;

/** The UTC day a time falls on, as `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** `usage_event_20261207` for 2026-12-07: the only names maintenance creates or drops. */
export function partitionName(day: string): string {
  return `usage_event_${day.replaceAll('-', '')}`;
}

const PARTITION_NAME = /^usage_event_(\d{4})(\d{2})(\d{2})$/;

/** The day partitions of usage_event that exist, oldest first (the default partition left out). */
export async function listUsagePartitions(em: EntityManager): Promise<string[]> {
  const rows = await em.getConnection().execute<{ name: string }[]>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'usage_event'::regclass order by c.relname`,
  );
  return rows.flatMap(({ name }) => {
    const match = PARTITION_NAME.exec(name);
    return match ? [`${match[1]}-${match[2]}-${match[3]}`] : [];
  });
}

/**
 * Creates the partition of one UTC day if it is missing. Rows already written for that day
 * went to the default partition; they are moved into the new one in the same transaction
 * (Postgres refuses to attach a partition while the default one holds rows of its range).
 */
async function createPartition(em: EntityManager, day: string): Promise<void> {
  const name = partitionName(day);
  const from = `${day}T00:00:00Z`;
  const to = `${addDays(day, 1)}T00:00:00Z`;
  await em.transactional(async (tx) => {
    // One maintenance at a time, whichever worker replica runs it.
    await tx.execute(`select pg_advisory_xact_lock(727401070)`);
    const exists = await tx.execute<{ found: boolean }[]>(`select to_regclass(?) is not null as found`, [name]);
    if (exists[0]!.found) return;
    await tx.execute(`create table "${name}" (like usage_event including defaults)`);
    await tx.execute(
      `with moved as (delete from usage_event_default where occurred_at >= ? and occurred_at < ? returning *) insert into "${name}" select * from moved`,
      [from, to],
    );
    await tx.execute(`alter table usage_event attach partition "${name}" for values from ('${from}') to ('${to}')`);
  });
}

export interface PartitionMaintenance {
  created: string[];
  dropped: string[];
}

/**
 * Keeps usage_event's day partitions in shape at `now`: one for every day from `retentionDays`
 * ago (rows that reached the default partition for those days move in) through `daysAhead`
 * days ahead, and none older: a day older than the retention is dropped whole, and such rows
 * in the default partition are deleted. Idempotent; run by the usage-maintenance schedule.
 */
export async function maintainUsagePartitions(em: EntityManager, now: Date, options: { retentionDays: number; daysAhead?: number }): Promise<PartitionMaintenance> {
  const today = utcDay(now);
  const oldestKept = addDays(today, -(options.retentionDays - 1));
  const existing = new Set(await listUsagePartitions(em));
  const created: string[] = [];
  // Days within the retention that have rows in the default partition get their partition too.
  const strays = await em.getConnection().execute<{ day: string }[]>(
    `select distinct to_char(occurred_at at time zone 'utc', 'YYYY-MM-DD') as day from usage_event_default where occurred_at >= ?`,
    [`${oldestKept}T00:00:00Z`],
  );
  const wanted = new Set(strays.map((row) => row.day));
  for (let offset = 0; offset <= (options.daysAhead ?? 3); offset += 1) wanted.add(addDays(today, offset));
  for (const day of [...wanted].sort()) {
    if (existing.has(day)) continue;
    await createPartition(em, day);
    created.push(day);
  }
  const dropped: string[] = [];
  for (const day of existing) {
    if (day >= oldestKept) continue;
    await em.getConnection().execute(`drop table if exists "${partitionName(day)}"`);
    dropped.push(day);
  }
  await em.getConnection().execute(`delete from usage_event_default where occurred_at < ?`, [`${oldestKept}T00:00:00Z`]);
  return { created, dropped };
}
