export { KeywardenClient, KeywardenNetworkError, SIGNATURE_HEADER, licenseKeyDigest, type KeywardenClientOptions, type ValidateOptions } from './client.ts';
export { ClockGuard } from './clock-guard.ts';
export { ACTIVATION_REJECTION_CODES, CLIENT_CODES, VALIDATION_CODES, isValidCode, type ActivationRejectionCode, type ClientCode, type ResultCode, type ValidationCode } from './codes.ts';
export { KeySet, SignatureError, type JsonWebKeySet, type JwsHeader } from './keyset.ts';
export { licenseFileHeaders, tokenFromLicenseFile } from './license-file.ts';
export { OFFLINE_TOKEN_TYPE, peekOfflineToken, verifyOfflineToken, type OfflineCheck, type OfflineTokenClaims } from './offline-token.ts';
export type { ActivationResult, ClientLicense, DeactivationResult, HeartbeatResult, LicenseResult, ResultSource } from './results.ts';
export { FileStorage, MemoryStorage, type ClientStorage } from './storage.ts';
