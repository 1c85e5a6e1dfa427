import type { Context, Next } from 'koa';
import { Refusal } from '../../domain/refusal.ts';
import { isProblemCode, Problem } from './problem.ts';

/** Router middleware: a domain operation's refusal becomes the problem of the same code. */
export async function refusalsAsProblems(_ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (!isProblemCode(error.code)) throw new Error(`refusal ${error.code} has no problem code`, { cause: error });
    const headers: Record<string, string> = error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    throw new Problem(error.code, error.message, { headers, extra: error.extra });
  }
}
