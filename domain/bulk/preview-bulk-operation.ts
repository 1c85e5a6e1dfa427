import type { EntityManager } from '@mikro-orm/postgresql';
import type { BulkOperationSpec, BulkSelection } from './bulk-operation-input.ts';
import type { ChangeFields } from './plan-bulk-change.ts';
import { planBulkOperation } from './plan-bulk-operation.ts';

/** How many rows of each list a preview carries (the counts are always whole). */
export const PREVIEW_ROWS = 500;

export interface PreviewRow {
  licenseId: string;
  keyHint: string;
  email: string | null;
  before: ChangeFields;
  after?: ChangeFields;
  code?: string;
  detail?: string;
}

export interface BulkPreview {
  affected: number;
  skipped: number;
  changes: PreviewRow[];
  skippedLicenses: PreviewRow[];
  unmatched: { entry: string; code: string; detail: string }[];
  truncated: boolean;
}

/** The dry run: what the operation would change, license by license, and what it would skip and why. Nothing is written. */
export async function previewBulkOperation(em: EntityManager, selection: BulkSelection, operation: BulkOperationSpec): Promise<BulkPreview> {
  const { planned, unmatched } = await planBulkOperation(em, selection, operation);
  const changes: PreviewRow[] = [];
  const skippedLicenses: PreviewRow[] = [];
  for (const { license, change } of planned) {
    const row = { licenseId: license.id, keyHint: license.keyHint, email: license.email, before: change.before };
    if (change.kind === 'change') changes.push({ ...row, after: change.after });
    else skippedLicenses.push({ ...row, code: change.code, detail: change.detail });
  }
  return {
    affected: changes.length,
    skipped: skippedLicenses.length,
    changes: changes.slice(0, PREVIEW_ROWS),
    skippedLicenses: skippedLicenses.slice(0, PREVIEW_ROWS),
    unmatched: unmatched.slice(0, PREVIEW_ROWS),
    truncated: changes.length > PREVIEW_ROWS || skippedLicenses.length > PREVIEW_ROWS || unmatched.length > PREVIEW_ROWS,
  };
}
