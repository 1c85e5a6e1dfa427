import type { IssuedOfflineToken } from '../../domain/licenses/issue-offline-token.ts';

export const LICENSE_FILE_MEDIA_TYPE = 'application/x-keywarden-license';

/**
 * An offline token as a file for air-gapped machines: a header block a person can read, then
 * the token wrapped at 64 columns. Only the token counts: the SDK verifies it and ignores the
 * header (sdk/src/license-file.ts parses it).
 */
export function renderLicenseFile(issued: IssuedOfflineToken): string {
  const lines = [
    '-----BEGIN KEYWARDEN LICENSE-----',
    `License-Id: ${issued.licenseId}`,
    `Product: ${issued.product}`,
    `Plan: ${issued.plan}`,
    `Machine: ${issued.fingerprint ?? 'any'}`,
    `Domain: ${issued.domain ?? 'any'}`,
    `Issued-At: ${issued.issuedAt.toISOString()}`,
    `Expires-At: ${issued.expiresAt.toISOString()}`,
    `Token-Id: ${issued.id}`,
    `Key-Id: ${issued.keyId}`,
    '',
    ...(issued.token.match(/.{1,64}/g) ?? []),
    '-----END KEYWARDEN LICENSE-----',
  ];
  return `${lines.join('\n')}\n`;
}

export const licenseFileName = (issued: IssuedOfflineToken) => `${issued.product}-${issued.licenseId.slice(0, 8)}.kwlicense`;
