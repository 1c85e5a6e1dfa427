/** A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is quoted with a leading apostrophe. */
const FORMULA = /^[=+\-@\t\r]/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = typeof value === 'string' ? (FORMULA.test(value) ? `'${value}` : value) : String(value);
  return /[",\r\n]/.test(raw) ? `"${raw.replace(/"/g, '""')}"` : raw;
}

/** RFC 4180 CSV: a header row of `columns`, then one line per row, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return [columns.map(cell).join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n';
}
