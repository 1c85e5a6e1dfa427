import type { EntityName } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { Problem } from './problem.ts';

/** Keyset pagination, newest first: `?limit=25&cursor=<next_cursor of the previous page>`. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: text().max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

interface Cursor {
  createdAt: string;
  id: string;
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new Problem('INVALID_REQUEST', 'cursor: not a cursor this API returned', { extra: { errors: [{ field: 'cursor', message: 'invalid cursor' }] } });
  }
}

/** The cursor of a page that ended with this row. */
export const encodeCursor = (createdAt: Date, id: string) => Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** One page of `entity` rows matching `where`, ordered by (created_at, id) descending. */
export async function paginate<E extends { id: string; createdAt: Date }, R>(
  em: EntityManager,
  entity: EntityName<E>,
  where: FilterQuery<E> | Record<string, unknown>,
  query: PageQuery,
  toResource: (row: E) => R,
  populate: string[] = [],
): Promise<Page<R>> {
  let filter = where as Record<string, unknown>;
  if (query.cursor) {
    const { createdAt, id } = decodeCursor(query.cursor);
    const before = new Date(createdAt);
    filter = { $and: [where, { $or: [{ createdAt: { $lt: before } }, { createdAt: before, id: { $lt: id } }] }] };
  }
  const rows = (await em.fork().find(entity, filter as FilterQuery<E>, {
    orderBy: { createdAt: 'desc', id: 'desc' } as never,
    limit: query.limit + 1,
    populate: populate as never,
  })) as E[];
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toResource),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
