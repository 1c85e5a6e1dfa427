import { z } from 'zod';
import { text } from '../../lib/text.ts';

/**
 * The body of an admin action whose only input is why (rotate or retire a signing key, replay a
 * Stripe event): optional, and kept in the audit trail. An empty body is no reason.
 */
export const reasonBody = z.object({ reason: text().trim().min(1).max(1000).optional().describe('Why, for the audit trail.') }).strict();
