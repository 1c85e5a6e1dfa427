import { z } from 'zod';
import { idParam } from '../http/resources.ts';
import { text } from '../../lib/text.ts';

const code = (what: string) => text().trim().min(1).max(100).optional().describe(`Only licenses of this ${what}; an unknown one is refused (UNKNOWN_FILTER_VALUE).`);
// Checked by the report (INVALID_DATE names the field), so a malformed date gets its own code.
const date = (which: string) => text().trim().min(1).max(40).optional().describe(`The ${which} day of the range (YYYY-MM-DD, UTC, included).`);

/** The query every report takes: the range, the catalog filters, and the answer's format. */
export const reportQuery = z
  .object({
    from: date('first'),
    to: date('last'),
    product: code('product (its code)'),
    plan: code('plan (its code)'),
    tier: code('plan tier'),
    format: z.enum(['json', 'csv']).default('json').describe('`csv`: the report\'s main table as text/csv (a download), instead of JSON.'),
  })
  .strict();

export const seatTrendQuery = reportQuery.extend({ license_id: idParam.optional().describe('Chart this license; without it, the ten with the most seats in use.') }).strict();

export type ReportQueryInput = z.infer<typeof reportQuery>;
