import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes that let customer-success staff find a license in the Temporal Web UI,
 * e.g. `CustomerEmail = "ada@example.com"` or `LicenseStatus = "PAST_DUE"`.
 * Registered at start-up in every environment (temporal/search-attribute-registration.ts).
 */
export const LicenseStatusKey = defineSearchAttributeKey('LicenseStatus', SearchAttributeType.KEYWORD);
export const LicensePlanKey = defineSearchAttributeKey('LicensePlan', SearchAttributeType.KEYWORD);
export const LicenseExpiresAtKey = defineSearchAttributeKey('LicenseExpiresAt', SearchAttributeType.DATETIME);
export const CustomerEmailKey = defineSearchAttributeKey('CustomerEmail', SearchAttributeType.KEYWORD);
export const BillingSubscriptionIdKey = defineSearchAttributeKey('BillingSubscriptionId', SearchAttributeType.KEYWORD);

export const LICENSE_SEARCH_ATTRIBUTES = [
  LicenseStatusKey,
  LicensePlanKey,
  LicenseExpiresAtKey,
  CustomerEmailKey,
  BillingSubscriptionIdKey,
] as const;
