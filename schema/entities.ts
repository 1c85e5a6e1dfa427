import { Activation } from './activation/activation.entity.ts';
import { AuditEvent } from './audit/audit-event.entity.ts';
import { ApiToken } from './auth/api-token.entity.ts';
import { Customer } from './customer/customer.entity.ts';
import { License } from './license/license.entity.ts';
import { OfflineToken } from './offline/offline-token.entity.ts';
import { OutboxMessage } from './outbox/outbox-message.entity.ts';
import { CrmRenewalTask } from './outreach/crm-renewal-task.entity.ts';
import { ProviderRateBudget } from './outreach/provider-rate-budget.entity.ts';
import { LicenseValidationDay } from './usage/license-validation-day.entity.ts';
import { Plan } from './plan/plan.entity.ts';
import { Product } from './product/product.entity.ts';
import { SigningKey } from './signing/signing-key.entity.ts';
import { StripeEvent } from './stripe/stripe-event.entity.ts';

export const entities = [Product, Plan, Customer, License, Activation, AuditEvent, ApiToken, OutboxMessage, SigningKey, OfflineToken, CrmRenewalTask, LicenseValidationDay, StripeEvent, ProviderRateBudget];
export { Activation, AuditEvent, ApiToken, Customer, License, OutboxMessage, Plan, Product };
export { SigningKey, OfflineToken, CrmRenewalTask, LicenseValidationDay, StripeEvent, ProviderRateBudget };
