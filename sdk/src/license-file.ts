const BEGIN = '-----BEGIN KEYWARDEN LICENSE-----';
const END = '-----END KEYWARDEN LICENSE-----';

/**
 * The token inside a license file (`application/x-keywarden-license`), or the text itself when
 * it is already a bare token. The header block is for people and is ignored: everything the
 * SDK trusts comes from the verified token.
 */
export function tokenFromLicenseFile(text: string): string {
  const start = text.indexOf(BEGIN);
  if (start === -1) return text.trim();
  const end = text.indexOf(END, start);
  if (end === -1) throw new Error('the license file is truncated (no END line)');
  const body = text.slice(start + BEGIN.length, end).replace(/\r\n/g, '\n');
  const blank = body.indexOf('\n\n');
  if (blank === -1) throw new Error('the license file has no token after its header block');
  return body.slice(blank + 2).replace(/\s+/g, '');
}

/** The header block of a license file, as a record (display only). */
export function licenseFileHeaders(text: string): Record<string, string> {
  const start = text.indexOf(BEGIN);
  if (start === -1) return {};
  const headers: Record<string, string> = {};
  for (const line of text.slice(start + BEGIN.length).replace(/\r\n/g, '\n').split('\n').slice(1)) {
    if (line.trim() === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
