import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { pageQuerySchema } from '../http/pagination.ts';
import { idParam } from '../http/resources.ts';
import { ROLES, SCOPES } from '../../lib/roles.ts';
import { STAFF_STATUSES } from '../../schema/staff/staff-member.entity.ts';

/** Request bodies and queries of the identity routes (the OpenAPI document names the same schemas). */
const email = z.email().max(320);
const name = text().trim().min(1).max(200);
// Passwords are checked for strength by the operation (WEAK_PASSWORD), not here: only bounds.
const password = text().min(1).max(1024);
const reason = text().trim().min(1).max(1000);

export const signInRequest = z
  .object({
    email: text().trim().min(1).max(320),
    password,
    totp_code: text().trim().regex(/^\d{6}$/, 'six digits').optional(),
    recovery_code: text().trim().min(8).max(20).optional(),
  })
  .strict();

export const passwordResetRequest = z.object({ email: text().trim().min(1).max(320) }).strict();
const linkToken = text().min(1).max(200);
export const inspectLinkRequest = z.object({ token: linkToken }).strict();
export const redeemLinkRequest = z
  .object({ token: linkToken, password, email: email.optional().describe('Set-up links only: the first owner\'s e-mail.'), name: name.optional().describe('Set-up links only.') })
  .strict();

export const inviteStaffRequest = z.object({ email, name, role: z.enum(ROLES) }).strict();
export const updateStaffRequest = z.object({ name, role: z.enum(ROLES), status: z.enum(STAFF_STATUSES), reason: reason.nullable() }).partial().strict();
export const staffListQuery = pageQuerySchema.extend({ role: z.enum(ROLES).optional(), status: z.enum(STAFF_STATUSES).optional() });
export const resetTwoFactorRequest = z.object({ reason }).strict();

export const updateMeRequest = z.object({ name }).strict();
export const changePasswordRequest = z.object({ current_password: password, new_password: password }).strict();
export const confirmTwoFactorRequest = z.object({ code: text().trim().regex(/^\d{6}$/, 'six digits') }).strict();
export const passwordConfirmationRequest = z.object({ password }).strict();

export const createApiTokenRequest = z
  .object({
    name: text().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'letters, digits, spaces, dots, dashes, colons and underscores'),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
    staff_id: idParam.optional().describe('The member the token belongs to (default: you). Leave out for a service token.'),
    service: text().trim().min(1).max(100).optional().describe('A named service the token belongs to instead of a member (`ci`, `prometheus`).'),
  })
  .strict()
  .refine((body) => !(body.staff_id && body.service), { message: 'give staff_id or service, not both', path: ['service'] })
  .refine((body) => !body.expires_at || Date.parse(body.expires_at) > Date.now(), { message: 'must be in the future', path: ['expires_at'] });
export const revokeApiTokenQuery = z.object({ reason: text().trim().min(1).max(1000).optional() });
export const apiTokenListQuery = pageQuerySchema.extend({
  staff_id: idParam.optional(),
  include_revoked: z.stringbool().default(false),
});

export const updateSettingsRequest = z.object({ require_two_factor: z.boolean() }).partial().strict();

export const auditEventQuery = pageQuerySchema.extend({
  actor: text().trim().min(1).max(200).optional().describe('`staff:<id>`, `token:<id>`, `admin:<token name>`, `system:<job>`, …'),
  target_type: text().trim().min(1).max(50).optional(),
  target_id: text().trim().min(1).max(100).optional(),
  action: text().trim().min(1).max(100).optional().describe('An action (`staff.invited`), or a prefix ending in `.` (`staff.`).'),
  since: z.iso.datetime({ offset: true }).optional().describe('At or after this time.'),
  until: z.iso.datetime({ offset: true }).optional().describe('Before this time.'),
});

export const returnToQuery = z.object({
  return_to: text().max(500).regex(/^\/(?!\/)[^\s\\]*$/, 'a path on this site, starting with one /').optional(),
});
