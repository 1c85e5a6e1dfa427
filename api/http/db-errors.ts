import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Problem, type ProblemCode } from './problem.ts';

/** Runs a write and turns the constraint violations a caller can cause into problems. */
export async function withConstraintProblems<T>(
  write: () => Promise<T>,
  problems: { unique?: [ProblemCode, string]; foreignKey?: [ProblemCode, string] },
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && problems.unique) throw new Problem(...problems.unique);
    if (error instanceof ForeignKeyConstraintViolationException && problems.foreignKey) throw new Problem(...problems.foreignKey);
    throw error;
  }
}
