/** The SDK's npm name and version: kept equal to package.json's (test/sdk/sdk-client-header.test.ts checks). */
export const SDK_NAME = '@keywarden/client';
export const SDK_VERSION = '0.1.0';

/**
 * Sent with every call, as a User-Agent product token (`<name>/<version>`): the server records
 * it with each usage event, so a seller sees which SDK versions are still in use. A browser's
 * own User-Agent cannot be set by a page, hence a header of our own.
 */
export const CLIENT_HEADER = 'keywarden-client';
export const CLIENT_HEADER_VALUE = `${SDK_NAME}/${SDK_VERSION}`;
