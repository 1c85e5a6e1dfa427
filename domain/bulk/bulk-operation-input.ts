import { z } from 'zod';
import { text } from '../../lib/text.ts';
import type { Scope } from '../../lib/roles.ts';
import { LICENSE_STATUSES } from '../../schema/license/license-status.ts';
import { idParam } from '../ids.ts';

/** The most licenses one bulk operation may change (a CSV's entries are capped alike). */
export const MAX_BULK_LICENSES = 50_000;
/** An uploaded CSV, as the body carries it. */
export const MAX_BULK_CSV_LENGTH = 2_000_000;

const code = text().trim().min(1).max(100);
const featureName = text().trim().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/** Which licenses: by filter (every field given must match), or the e-mails and license ids of a CSV. */
export const bulkSelectionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('filter'),
      product: code.optional().describe('A product code.'),
      plan: code.optional().describe('A plan code.'),
      tier: code.optional().describe('A plan tier.'),
      status: z.enum(LICENSE_STATUSES).optional(),
      expiring_within_days: z.number().int().min(0).max(3650).optional().describe('Only licenses whose term ends between now and this many days from now.'),
    })
    .strict()
    .refine((filter) => Object.keys(filter).length > 1, { message: 'choose at least one filter (product, plan, tier, status, expiring_within_days)' }),
  z
    .object({
      type: z.literal('csv'),
      csv: text()
        .max(MAX_BULK_CSV_LENGTH)
        .describe('The file\'s text: one license id or customer e-mail per row, in the first column or in a column headed `email`, `license_id` or `id`. A customer\'s e-mail selects each of their licenses.'),
    })
    .strict(),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

/** What to change on each license. Dates and counts are fixed when the operation is planned. */
export const bulkOperationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('change_plan'), plan_id: idParam.describe('The plan to move to (same product), effective now.') }).strict(),
  z.object({ type: z.literal('extend_expiry'), days: z.number().int().min(1).max(3650).describe('Days added to each expiry (a trial\'s end for a trial).') }).strict(),
  z.object({ type: z.literal('extend_expiry_to'), until: z.iso.datetime({ offset: true }).describe('The new expiry (a trial\'s end for a trial); licenses already running past it are skipped.') }).strict(),
  z.object({ type: z.literal('set_seat_limit'), seat_limit: z.number().int().min(1).max(1_000_000) }).strict(),
  z.object({ type: z.literal('add_feature'), feature: featureName.describe('Turned on (true) for each license.') }).strict(),
  z.object({ type: z.literal('remove_feature'), feature: featureName }).strict(),
  z.object({ type: z.literal('suspend') }).strict(),
  z.object({ type: z.literal('reinstate') }).strict(),
  z.object({ type: z.literal('revoke') }).strict(),
]);
export type BulkOperationSpec = z.infer<typeof bulkOperationSchema>;
export type BulkOperationType = BulkOperationSpec['type'];

export const bulkOperationRequestSchema = z
  .object({
    selection: bulkSelectionSchema,
    operation: bulkOperationSchema,
    reason: text().trim().min(1).max(1000).optional().describe('Why: recorded on every license\'s audit row. Required unless `dry_run`.'),
    dry_run: z.boolean().default(false).describe('Only preview: count, before and after per license, skipped ones with reasons. Nothing changes.'),
  })
  .strict();
export type BulkOperationRequest = z.infer<typeof bulkOperationRequestSchema>;

/** The scope each operation needs besides `licenses:bulk`: the one its single-license route needs. */
export const BULK_OPERATION_SCOPES: Record<BulkOperationType, Scope> = {
  change_plan: 'licenses:change-plan',
  extend_expiry: 'licenses:lifecycle',
  extend_expiry_to: 'licenses:lifecycle',
  set_seat_limit: 'licenses:write',
  add_feature: 'licenses:write',
  remove_feature: 'licenses:write',
  suspend: 'licenses:lifecycle',
  reinstate: 'licenses:lifecycle',
  revoke: 'licenses:revoke',
};
