import { z } from 'zod';
import { text } from '../../lib/text.ts';

export const signInLinkRequest = z
  .object({ email: text().trim().toLowerCase().pipe(z.email('type the e-mail address you bought with')).describe('The e-mail address the licenses were bought with.') })
  .strict();

export const portalSignInRequest = z.object({ token: text().min(1).max(200).describe('The secret from the sign-in link\'s `#token=` fragment.') }).strict();

export const renewQuery = z.object({ license: z.uuid().optional().describe('The license to renew (the reminder e-mail\'s `{license_id}`).') }).strict();
