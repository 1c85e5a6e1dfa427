import { text } from '../../lib/text.ts';

/**
 * The optional nonce of a client request (validate, activate, deactivate, heartbeat): echoed
 * inside the signed answer, so a client that sends a fresh one detects a replayed answer.
 */
export const clientNonce = text()
  .min(1)
  .max(200)
  .optional()
  .describe('A fresh value per request (a random string), echoed as `nonce` inside the signed answer: an answer without your nonce is a replay.');
