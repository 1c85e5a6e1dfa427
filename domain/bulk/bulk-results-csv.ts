import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../domain-error.ts';
import { bulkItems } from './get-bulk-operation.ts';
import type { ChangeFields } from './plan-bulk-change.ts';

const HEADER = ['license_id', 'key_hint', 'customer_email', 'result', 'code', 'detail', 'before', 'after', 'finished_at'];
const CHUNK = 1_000;

/**
 * A cell as spreadsheets read it safely: quoted when it holds a separator, a quote or a line
 * break, and prefixed with `'` when it starts like a formula (=, +, -, @, tab, CR).
 */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `expires_at=2027-01-01T00:00:00.000Z; plan=pro`: a change's fields on one line. */
export function describeFields(fields: ChangeFields | null): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([name]) => name !== 'plan_id')
    .map(([name, value]) => `${name}=${typeof value === 'object' && value !== null ? Object.entries(value).map(([feature, on]) => (on === true ? feature : `${feature}:${on}`)).join('|') : value}`)
    .join('; ');
}

/** The operation's report, one line per license in order, produced a chunk at a time (10,000 items stay cheap). */
export async function* bulkResultsCsv(em: EntityManager, id: string): AsyncGenerator<string> {
  const fork = em.fork();
  const [found] = await fork.execute(`select 1 from bulk_operation where id = ?`, [id]);
  if (!found) throw new DomainError('BULK_OPERATION_NOT_FOUND', `no bulk operation with id ${id}`);
  yield `${HEADER.join(',')}\r\n`;
  let after = -1;
  for (;;) {
    const items = await bulkItems(fork, id, { limit: CHUNK, afterPosition: after });
    if (items.length === 0) return;
    yield items
      .map((item) =>
        [item.licenseId, item.keyHint, item.email, item.status, item.code, item.detail, describeFields(item.before), describeFields(item.after), item.finishedAt?.toISOString() ?? null]
          .map(csvCell)
          .join(',') + '\r\n',
      )
      .join('');
    after = items[items.length - 1]!.position;
  }
}
