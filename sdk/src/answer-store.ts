import type { KeySet } from './keyset.ts';
import { nonceAsks, questionSlot, sameQuestion, type Question } from './question.ts';
import { answerUntil, scopeAnswers, type SignedBody } from './signed-answer.ts';
import type { ClientStorage } from './storage.ts';

/**
 * What is stored per question: the answer's exact bytes and signature, and the question without
 * the key (readable in the file, and checked; the signed nonce is what cannot be edited).
 */
interface StoredAnswer {
  v: 2;
  question: Omit<Question, 'key'>;
  body: string;
  signature: string;
}

/**
 * The signed answers this client keeps, one per question (its cache, and its fallback when the
 * server is unreachable). Storage is not trusted: an answer read back is verified again, must
 * be about this client's key (`kwk`), and its signed nonce must commit to the question asked
 * (see questionNonce), so an answer moved to another question's slot, or a record edited to
 * name another question, is refused. Records in any other format are treated as absent.
 */
export class AnswerStore {
  readonly #storage: ClientStorage;
  readonly #keyDigest: string;

  constructor(storage: ClientStorage, keyDigest: string) {
    this.#storage = storage;
    this.#keyDigest = keyDigest;
  }

  async save(question: Question, body: string, signature: string): Promise<void> {
    const { key: _key, ...asked } = question;
    await this.#storage.set(questionSlot(question), JSON.stringify({ v: 2, question: asked, body, signature } satisfies StoredAnswer));
  }

  /** The stored answer to exactly this question, if it is still trustworthy (fresh or not). */
  async read(keys: KeySet, question: Question): Promise<{ body: SignedBody; until: number } | undefined> {
    const raw = await this.#storage.get(questionSlot(question));
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as StoredAnswer;
      if (stored.v !== 2 || !sameQuestion({ ...stored.question, key: question.key }, question)) return undefined;
      if (keys.verifyDetached(stored.signature, stored.body).kwk !== this.#keyDigest) return undefined;
      const body = JSON.parse(stored.body) as SignedBody;
      if (!nonceAsks(body.nonce, question) || !scopeAnswers(body, question)) return undefined;
      return { body, until: answerUntil(body) };
    } catch {
      return undefined;
    }
  }
}
