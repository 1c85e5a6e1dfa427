import { Activation } from './activation/activation.entity.ts';
import { AuditEvent } from './audit/audit-event.entity.ts';
import { BulkOperation } from './bulk/bulk-operation.entity.ts';
import { BulkOperationItem } from './bulk/bulk-operation-item.entity.ts';
import { ApiToken } from './auth/api-token.entity.ts';
import { Customer } from './customer/customer.entity.ts';
import { CustomerNote } from './customer/customer-note.entity.ts';
import { License } from './license/license.entity.ts';
import { RetiredLicenseKey } from './license/retired-license-key.entity.ts';
import { OfflineToken } from './offline/offline-token.entity.ts';
import { OutboxMessage } from './outbox/outbox-message.entity.ts';
import { CrmRenewalTask } from './outreach/crm-renewal-task.entity.ts';
import { ProviderRateBudget } from './outreach/provider-rate-budget.entity.ts';
import { LicenseValidationDay } from './usage/license-validation-day.entity.ts';
import { LicenseSeatDay } from './usage/license-seat-day.entity.ts';
import { UsageDay } from './usage/usage-day.entity.ts';
import { UsageEvent } from './usage/usage-event.entity.ts';
import { AbuseAlert } from './abuse/abuse-alert.entity.ts';
import { PlanAbusePolicy } from './abuse/plan-abuse-policy.entity.ts';
import { Plan } from './plan/plan.entity.ts';
import { Product } from './product/product.entity.ts';
import { SigningKey } from './signing/signing-key.entity.ts';
import { StripeEvent } from './stripe/stripe-event.entity.ts';
import { SignInThrottle } from './auth/sign-in-throttle.entity.ts';
import { Setting } from './settings/setting.entity.ts';
import { RecoveryCode } from './staff/recovery-code.entity.ts';
import { StaffLink } from './staff/staff-link.entity.ts';
import { StaffMember } from './staff/staff-member.entity.ts';
import { StaffSession } from './staff/staff-session.entity.ts';
import { CustomerLink } from './portal/customer-link.entity.ts';
import { CustomerSession } from './portal/customer-session.entity.ts';

/** Staff identity: accounts, sessions, one-time links, recovery codes, sign-in throttling, settings. */
const identityEntities = [StaffMember, StaffSession, StaffLink, RecoveryCode, SignInThrottle, Setting];
/** Usage capture (raw client calls, day-partitioned, and their daily roll-ups) and abuse detection. */
const usageEntities = [UsageEvent, UsageDay, AbuseAlert, PlanAbusePolicy];
/** The customer portal: sign-in links and sessions. */
const portalEntities = [CustomerLink, CustomerSession];
export const entities = [Product, Plan, Customer, License, Activation, AuditEvent, ApiToken, OutboxMessage, SigningKey, OfflineToken, CrmRenewalTask, LicenseValidationDay, StripeEvent, ProviderRateBudget, CustomerNote, RetiredLicenseKey, LicenseSeatDay, ...identityEntities, BulkOperation, BulkOperationItem, ...portalEntities, ...usageEntities];
export { Activation, AuditEvent, ApiToken, Customer, License, OutboxMessage, Plan, Product };
export { SigningKey, OfflineToken, CrmRenewalTask, LicenseValidationDay, StripeEvent, ProviderRateBudget };
export { StaffMember, StaffSession, StaffLink, RecoveryCode, SignInThrottle, Setting };
export { CustomerNote };
export { RetiredLicenseKey };
export { CustomerLink, CustomerSession };
export { LicenseSeatDay };
export { UsageEvent, UsageDay, AbuseAlert, PlanAbusePolicy };
export { BulkOperation, BulkOperationItem };
