import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseStatus } from '../../schema/license/license-status.ts';
import type { Features, PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { DomainError } from '../domain-error.ts';
import { MAX_BULK_LICENSES, type BulkSelection } from './bulk-operation-input.ts';
import { parseSelectionCsv } from './parse-selection-csv.ts';

/** A chosen license, with what planning a change needs to know of it. */
export interface SelectedLicense {
  id: string;
  keyHint: string;
  status: LicenseStatus;
  expiresAt: Date | null;
  trialEndsAt: Date | null;
  planId: string;
  planCode: string;
  productId: string;
  overrides: PolicyOverrides;
  planFeatures: Features;
  planSeatLimit: number | null;
  email: string | null;
}

export interface Selection {
  licenses: SelectedLicense[];
  /** CSV entries that matched no license, and why. */
  unmatched: { entry: string; code: string; detail: string }[];
}

type Condition = [sql: string, params: unknown[]];

/** Raw queries answer timestamps as the driver parsed them (a Date, or a string). */
export const toDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function filterConditions(selection: Extract<BulkSelection, { type: 'filter' }>): Condition[] {
  const conditions: Condition[] = [];
  if (selection.status) conditions.push(['l.status = ?', [selection.status]]);
  if (selection.product) conditions.push(['pr.code = ?', [selection.product]]);
  if (selection.plan) conditions.push(['p.code = ?', [selection.plan]]);
  if (selection.tier) conditions.push(['p.tier = ?', [selection.tier]]);
  if (selection.expiring_within_days !== undefined) {
    conditions.push(['l.expires_at >= now() and l.expires_at < now() + make_interval(days => ?::int)', [selection.expiring_within_days]]);
  }
  return conditions;
}

interface Row {
  id: string;
  key_hint: string;
  status: LicenseStatus;
  expires_at: Date | string | null;
  trial_ends_at: Date | string | null;
  plan_id: string;
  plan_code: string;
  product_id: string;
  overrides: PolicyOverrides;
  plan_features: Features;
  plan_seat_limit: number | null;
  email: string | null;
}

/**
 * The licenses a bulk operation chose, oldest first (the order it applies them in). A filter
 * is the search's (plan, tier, status, product, expiring window); a CSV names license ids and
 * customer e-mails, and what it names that matches nothing is reported, not silently dropped.
 * More than MAX_BULK_LICENSES is refused: split the operation.
 */
export async function selectBulkLicenses(em: EntityManager, selection: BulkSelection): Promise<Selection> {
  let conditions: Condition[];
  let csv: ReturnType<typeof parseSelectionCsv> | undefined;
  if (selection.type === 'filter') {
    conditions = filterConditions(selection);
  } else {
    csv = parseSelectionCsv(selection.csv);
    conditions = [['(l.id = any(?::uuid[]) or c.email = any(?::text[]))', [`{${csv.licenseIds.join(',')}}`, toPgArray(csv.emails)]]];
  }
  const rows = await em.fork().execute<Row[]>(
    `select l.id, l.key_hint, l.status, l.expires_at, l.trial_ends_at, l.overrides, p.id as plan_id, p.code as plan_code,
            p.product_id, p.features as plan_features, p.seat_limit as plan_seat_limit, c.email
       from license l join plan p on p.id = l.plan_id join product pr on pr.id = p.product_id
       left join customer c on c.id = l.customer_id
      where ${conditions.map(([sql]) => sql).join(' and ')}
      order by l.created_at, l.id
      limit ?`,
    [...conditions.flatMap(([, params]) => params), MAX_BULK_LICENSES + 1],
  );
  if (rows.length > MAX_BULK_LICENSES) {
    throw new DomainError('BULK_SELECTION_TOO_LARGE', `the selection holds more than ${MAX_BULK_LICENSES} licenses: narrow the filter or split the file`);
  }
  const licenses = rows.map((row) => ({
    id: row.id,
    keyHint: row.key_hint,
    status: row.status,
    expiresAt: toDate(row.expires_at),
    trialEndsAt: toDate(row.trial_ends_at),
    planId: row.plan_id,
    planCode: row.plan_code,
    productId: row.product_id,
    overrides: row.overrides ?? {},
    planFeatures: row.plan_features ?? {},
    planSeatLimit: row.plan_seat_limit,
    email: row.email,
  }));
  return { licenses, unmatched: csv ? unmatchedEntries(csv, licenses) : [] };
}

/** A text[] literal: each element quoted, so commas and braces in an entry stay inside it. */
const toPgArray = (values: string[]) => `{${values.map((value) => `"${value.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;

function unmatchedEntries(csv: ReturnType<typeof parseSelectionCsv>, licenses: SelectedLicense[]): Selection['unmatched'] {
  const ids = new Set(licenses.map((license) => license.id));
  const emails = new Set(licenses.map((license) => license.email));
  return [
    ...csv.licenseIds.filter((id) => !ids.has(id)).map((entry) => ({ entry, code: 'LICENSE_NOT_FOUND', detail: 'no license has this id' })),
    ...csv.emails.filter((email) => !emails.has(email)).map((entry) => ({ entry, code: 'CUSTOMER_NOT_FOUND', detail: 'no customer with a license has this e-mail' })),
    ...csv.invalid.map((entry) => ({ entry, code: 'INVALID_ENTRY', detail: 'neither a license id nor an e-mail address' })),
  ];
}
