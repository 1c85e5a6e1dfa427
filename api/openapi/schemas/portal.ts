import { z } from 'zod';
import { policyFields } from '../../../domain/plans/policy.schema.ts';
import { licenseFileRequestSchema } from '../../../domain/portal/download-license-file.ts';
import { customerKeyRotationSchema } from '../../../domain/portal/rotate-customer-key.ts';
import { portalSignInRequest, signInLinkRequest } from '../../portal/portal-requests.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { LicenseStatus, timestamp, uuid } from './common.ts';

export const PortalSignInMethods = responseSchema(
  'PortalSignInMethods',
  z.object({ email_link: z.boolean().describe('Whether sign-in by e-mail link is available (an e-mail provider and template are configured).') }),
  'How customers can sign in to the portal.',
);
export const PortalSignInLinkRequest = requestSchema('PortalSignInLinkRequest', signInLinkRequest, 'The e-mail address to send a sign-in link to.');
export const PortalSignInLinkAccepted = responseSchema('PortalSignInLinkAccepted', z.object({ detail: z.string() }), 'The same answer whether or not the address belongs to a customer.');
export const PortalSignInRequest = requestSchema('PortalSignInRequest', portalSignInRequest, 'The sign-in link\'s secret.');
export const PortalSession = responseSchema(
  'PortalSession',
  z.object({
    customer: z.object({ email: z.string(), name: z.string().nullable() }),
    csrf_token: z.string().describe('Send it in `X-CSRF-Token` with every write.'),
    expires_at: timestamp,
    idle_expires_at: timestamp.describe('The session ends if unused until then (30 minutes, sliding).'),
  }),
  'The signed-in customer\'s portal session.',
);

const licenseSummary = {
  id: uuid,
  product: z.string().describe('The product\'s name.'),
  plan: z.string().describe('The plan\'s name.'),
  status: LicenseStatus,
  status_label: z.string().describe('The status in plain words (`Active`, `Payment overdue`, …).'),
  status_explanation: z.string().describe('What the status means for the customer.'),
  key_hint: z.string().describe('The key\'s visible ends, to tell keys apart.'),
  expires_at: timestamp.nullable().describe('When the term ends (or renews); null: never.'),
  trial_ends_at: timestamp.nullable(),
  renews_automatically: z.boolean().describe('Sold by subscription: renews by itself unless cancelled.'),
  seats_used: z.number().int(),
  seat_limit: z.number().int().nullable().describe('null: unlimited.'),
  seat_model: policyFields.seat_model,
  features: policyFields.features,
  created_at: timestamp,
};

export const PortalLicense = responseSchema('PortalLicense', z.object(licenseSummary), 'A license as its customer sees it: never a staff-only field.');
export const PortalLicenseList = responseSchema('PortalLicenseList', z.object({ data: z.array(PortalLicense) }), 'The customer\'s licenses, newest first.');

const allowance = (what: string) =>
  z.object({
    limit: z.number().int().nullable().describe(`${what} allowed per period; null: no limit.`),
    used: z.number().int(),
    left: z.number().int().nullable().describe('null: no limit.'),
    period_days: z.number().int(),
  });

export const PortalLicenseDetail = responseSchema(
  'PortalLicenseDetail',
  z.object({
    ...licenseSummary,
    key_available: z.boolean().describe('Whether the key can be shown (POST …/key).'),
    machines: z.array(
      z.object({ id: uuid, name: z.string().nullable(), hostname: z.string().nullable(), platform: z.string().nullable(), first_seen_at: timestamp, last_seen_at: timestamp }),
    ),
    seat_frees: allowance('Seat frees (self-service deactivations, by the software or in the portal)'),
    license_files: allowance('License files'),
    renewal: z.enum(['STRIPE_BILLING_PORTAL', 'SELLER_PAGE', 'CONTACT_SELLER']).describe('How the license is renewed: Stripe\'s billing portal, the seller\'s renewal page, or by contacting the seller.'),
  }),
  'One license of the customer\'s, with its machines and what they may still do this period.',
);

export const PortalLicenseHistory = responseSchema(
  'PortalLicenseHistory',
  z.object({
    data: z.array(
      z.object({
        id: uuid,
        at: timestamp,
        event: z.string().describe('`license.renewed`, `license.past_due`, `activation.deactivated`, …'),
        summary: z.string().describe('What happened, in the customer\'s words.'),
        by_you: z.boolean().describe('Done by this customer in the portal (the seller\'s people are never named).'),
        new_end_date: timestamp.nullable(),
      }),
    ),
  }),
  'What happened to the license, newest first.',
);

export const PortalSeatFreed = responseSchema(
  'PortalSeatFreed',
  z.object({ seats_used: z.number().int(), frees_left: z.number().int().nullable().describe('Frees left this period; null: no limit.') }),
  'The seat is free: the next machine can activate.',
);
export const PortalLicenseKey = responseSchema('PortalLicenseKey', z.object({ key: z.string() }), 'The license key (shown on demand; the showing is audited).');
export const PortalLicenseFileRequest = requestSchema('PortalLicenseFileRequest', licenseFileRequestSchema, 'The air-gapped machine to make a license file for.');
export const PortalRenewal = responseSchema(
  'PortalRenewal',
  z.object({ kind: z.enum(['STRIPE_BILLING_PORTAL', 'SELLER_PAGE']), url: z.string().describe('Where to send the browser.') }),
  'Where the customer renews or manages billing.',
);
export const PortalKeyRotationRequest = requestSchema('PortalKeyRotationRequest', customerKeyRotationSchema, 'Replacing a leaked key.');
export const PortalRotatedKey = responseSchema(
  'PortalRotatedKey',
  z.object({
    key: z.string().describe('The new key: shown once here, and e-mailed.'),
    key_hint: z.string(),
    previous_key_hint: z.string().describe('The old key, which stopped working (validation answers KEY_ROTATED).'),
    emailed: z.boolean().describe('Whether the new key\'s e-mail was queued.'),
  }),
  'The license\'s new key.',
);
