/**
 * An expected refusal of a domain operation (a weak password, a used link), with the stable
 * code the API answers with (`api/http/problem.ts` lists them all). Operations stay free of
 * HTTP; the routes of their area turn a refusal into a problem (`api/http/refusals.ts`).
 */
export class Refusal extends Error {
  readonly code: string;
  readonly retryAfterSeconds?: number;
  readonly extra?: Record<string, unknown>;

  constructor(code: string, detail: string, options: { retryAfterSeconds?: number; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'Refusal';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra;
  }
}
