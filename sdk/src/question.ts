import { createHash, randomBytes } from 'node:crypto';

/**
 * One validation question: everything the client sends that the server's verdict depends on
 * (besides the nonce). A signed answer is only ever reused for the very same question.
 */
export interface Question {
  /** Trimmed, as the API reads it. */
  key: string;
  fingerprint: string | undefined;
  domain: string | undefined;
  user: string | undefined;
  /** The set asked for: sorted, without duplicates (the order asked in does not matter). */
  features: string[];
}

const present = (value: string | undefined): string | undefined => value?.trim() || undefined;

export function questionOf(parts: { key: string; fingerprint?: string; domain?: string; user?: string; features?: readonly string[] }): Question {
  return {
    key: parts.key.trim(),
    fingerprint: present(parts.fingerprint),
    domain: present(parts.domain),
    user: present(parts.user),
    features: [...new Set(parts.features ?? [])].sort(),
  };
}

/** One string per question: equal questions, equal strings. */
function canonical(question: Question): string {
  return JSON.stringify([question.key, question.fingerprint ?? null, question.domain ?? null, question.user ?? null, question.features]);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');

export function sameQuestion(a: Question, b: Question): boolean {
  return canonical(a) === canonical(b);
}

/** The storage slot of the answer to this question (a digest: the key is not stored in the clear). */
export function questionSlot(question: Question): string {
  return `keywarden:answer:v2:${sha256(canonical(question))}`;
}

/** The request body that asks this question. */
export function questionRequest(question: Question, nonce: string) {
  const { key, fingerprint, domain, user, features } = question;
  return { key, fingerprint, domain, user, ...(features.length ? { features } : {}), nonce };
}

const commitment = (salt: string, question: Question): string => sha256(`keywarden-question\n${salt}\n${canonical(question)}`);

/**
 * A fresh nonce that commits to the question: `<random salt>.<SHA-256 over salt and question>`.
 * The server echoes the nonce inside the body it signs, so a stored answer carries, under the
 * signature, which question it was asked for: it cannot be filed under another question.
 */
export function questionNonce(question: Question): string {
  const salt = randomBytes(16).toString('base64url');
  return `${salt}.${commitment(salt, question)}`;
}

/** True when `nonce` (from a signed answer) was made for this question. */
export function nonceAsks(nonce: unknown, question: Question): boolean {
  if (typeof nonce !== 'string') return false;
  const [salt, digest, ...rest] = nonce.split('.');
  return rest.length === 0 && !!salt && digest === commitment(salt, question);
}
