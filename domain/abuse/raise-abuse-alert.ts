import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbuseFinding } from './abuse-finding.ts';

export interface RaisedAlert {
  id: string;
  /** False when the finding merged into an alert of the same kind whose window it overlaps. */
  created: boolean;
}

/**
 * Records a finding: a new OPEN alert, or, when the license already has an alert of this kind
 * whose window reaches into the finding's (a check that keeps finding the same thing), that
 * alert grows instead: one more occurrence, the window's new end, the latest evidence. A
 * dismissed alert stays dismissed while its window runs: staff already judged that pattern.
 * Locked per license and kind, so two workers never raise it twice.
 */
export async function raiseAbuseAlert(em: EntityManager, finding: AbuseFinding): Promise<RaisedAlert> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`abuse:${finding.licenseId}:${finding.kind}`]);
    const [merged] = await tx.execute<{ id: string }[]>(
      `update abuse_alert set occurrences = occurrences + 1, window_end = greatest(window_end, ?), evidence = ?, updated_at = now()
        where id = (select id from abuse_alert where license_id = ? and kind = ? and window_end >= ? order by window_end desc limit 1)
        returning id`,
      [finding.windowEnd, JSON.stringify(finding.evidence), finding.licenseId, finding.kind, finding.windowStart],
    );
    if (merged) return { id: merged.id, created: false };
    const id = randomUUID();
    await tx.execute(
      `insert into abuse_alert (id, license_id, kind, status, evidence, window_start, window_end, occurrences, created_at, updated_at)
       values (?, ?, ?, 'OPEN', ?, ?, ?, 1, now(), now())`,
      [id, finding.licenseId, finding.kind, JSON.stringify(finding.evidence), finding.windowStart, finding.windowEnd],
    );
    return { id, created: true };
  });
}
