import { isWellFormedLicenseKey, KEY_ALPHABET, KEY_GROUP_LENGTH, LICENSE_KEY_PREFIX, normalizeLicenseKey, TRIAL_KEY_PREFIX } from '../../lib/license-key.ts';

/**
 * What the one search box was given, recognised by its shape (a key, an id, a Stripe id),
 * else text to find in the customer's e-mail and name (and, when it looks like one, a key's last
 * group). The raw key never leaves this function: only its keyed hash does.
 */
export type SearchTerm =
  | { kind: 'key'; keyHash: string }
  | { kind: 'id'; id: string }
  | { kind: 'stripe'; field: StripeIdField; value: string }
  | { kind: 'email'; email: string }
  | { kind: 'text'; pattern: string; hints: string[] };

export type StripeIdField = 'stripe_customer' | 'stripe_subscription' | 'stripe_checkout_session' | 'stripe_payment_intent';

const STRIPE_PREFIXES: Record<string, StripeIdField> = {
  cus_: 'stripe_customer',
  sub_: 'stripe_subscription',
  cs_: 'stripe_checkout_session',
  pi_: 'stripe_payment_intent',
};

/** A whole e-mail address: found by equality (its unique index), not as a substring of others. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GROUP = new RegExp(`^[${KEY_ALPHABET}]{${KEY_GROUP_LENGTH}}$`);
/** A hint as staff copy it from anywhere: `KW-…-ZMC1`, `KW-...-ZMC1`, `KWT--ZMC1`. */
const HINT = new RegExp(`^(${LICENSE_KEY_PREFIX}|${TRIAL_KEY_PREFIX})-(?:…|\\.{2,3})?-?([0-9A-Z]{${KEY_GROUP_LENGTH}})$`);

/** `%`, `_` and `\` stand for themselves in the pattern. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The hints a typed last group or hint can mean (the look-alikes O/I/L folded as keys fold them). */
function hintsFor(query: string): string[] {
  const upper = query.toUpperCase();
  const hint = HINT.exec(upper);
  const fold = (group: string) => group.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (hint) {
    const group = fold(hint[2]!);
    return GROUP.test(group) ? [`${hint[1]}-…-${group}`] : [];
  }
  const group = fold(upper);
  return GROUP.test(group) ? [`${LICENSE_KEY_PREFIX}-…-${group}`, `${TRIAL_KEY_PREFIX}-…-${group}`] : [];
}

export function searchTermOf(query: string, lookupHash: (normalizedKey: string) => string): SearchTerm {
  const q = query.trim();
  const key = normalizeLicenseKey(q);
  if (isWellFormedLicenseKey(key)) return { kind: 'key', keyHash: lookupHash(key) };
  if (UUID.test(q)) return { kind: 'id', id: q.toLowerCase() };
  for (const [prefix, field] of Object.entries(STRIPE_PREFIXES)) {
    if (q.startsWith(prefix) && /^[A-Za-z0-9_]+$/.test(q)) return { kind: 'stripe', field, value: q };
  }
  if (EMAIL.test(q)) return { kind: 'email', email: q.toLowerCase() };
  return { kind: 'text', pattern: `%${escapeLike(q)}%`, hints: hintsFor(q) };
}
