import { DomainError } from '../domain-error.ts';
import { MAX_BULK_LICENSES } from './bulk-operation-input.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HEADERS = ['email', 'e-mail', 'customer_email', 'license_id', 'license', 'id'];

/** One CSV line's cells (RFC 4180 quoting: `"a, b"`, `""` for a quote). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',' || char === ';' || char === '\t') (out.push(cell), (cell = ''));
    else cell += char;
  }
  out.push(cell);
  return out.map((value) => value.trim());
}

/**
 * The license ids and e-mails an uploaded CSV names: the column headed `email`, `license_id`
 * or `id` when the first row is a header, else the first column. Duplicates count once;
 * entries that are neither are returned as invalid.
 */
export function parseSelectionCsv(csv: string): { licenseIds: string[]; emails: string[]; invalid: string[] } {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  let column = 0;
  const header = lines[0] ? cells(lines[0]).map((cell) => cell.toLowerCase()) : [];
  const named = header.findIndex((cell) => HEADERS.includes(cell));
  if (named >= 0) {
    column = named;
    lines.shift();
  } else if (header.length && !UUID.test(header[0]!) && !EMAIL.test(header[0]!)) {
    lines.shift(); // a header naming something else: its first column is read
  }
  const licenseIds = new Set<string>();
  const emails = new Set<string>();
  const invalid = new Set<string>();
  for (const line of lines) {
    const entry = cells(line)[column] ?? '';
    if (entry === '') continue;
    if (UUID.test(entry)) licenseIds.add(entry.toLowerCase());
    else if (EMAIL.test(entry)) emails.add(entry.toLowerCase());
    else invalid.add(entry.slice(0, 200));
  }
  if (licenseIds.size + emails.size > MAX_BULK_LICENSES) {
    throw new DomainError('BULK_SELECTION_TOO_LARGE', `the file names more than ${MAX_BULK_LICENSES} licenses and e-mails: split it`);
  }
  if (licenseIds.size + emails.size + invalid.size === 0) throw new DomainError('INVALID_REQUEST', 'the file names no license id or e-mail', { extra: { errors: [{ field: 'selection.csv', message: 'no license id or e-mail in the file' }] } });
  return { licenseIds: [...licenseIds], emails: [...emails], invalid: [...invalid].slice(0, 1000) };
}
