import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading, Pagination, Table, type Column } from '@web/components';
import type { useCursorPages } from '@web/hooks/use-cursor-pages';
import styles from './operations.module.css';

/** What a list's query gives (TanStack Query's result, narrowed to what the section reads). */
interface ListQuery<Row> {
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  refetch: () => unknown;
  data?: { data: Row[]; next_cursor?: string | null };
}

/**
 * One list of an Operations page with its designed states: loading (skeleton rows, announced),
 * the API's error (code and detail, with a retry), empty (said plainly), or the table with
 * cursor paging (`pages`, for the lists the API pages).
 */
export function ListSection<Row>(props: {
  id: string;
  /** The table's accessible name, and the hidden heading of the section. */
  caption: string;
  query: ListQuery<Row>;
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  /** "messages": for "Loading messages…" and "Messages 1–25". */
  noun: string;
  errorTitle: string;
  empty: { title: string; text?: ReactNode; action?: ReactNode };
  pages?: { state: ReturnType<typeof useCursorPages>; size: number };
}) {
  const { id, caption, query, columns, rowKey, noun, errorTitle, empty, pages } = props;
  const rows = query.data?.data ?? [];
  const nextCursor = query.data?.next_cursor;
  const first = pages ? (pages.state.page - 1) * pages.size + 1 : 1;
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <section aria-labelledby={`${id}-heading`} className={styles.page} aria-busy={query.isFetching}>
      <h2 id={`${id}-heading`} className="visually-hidden">
        {caption}
      </h2>
      {query.isPending ? (
        <Loading label={`Loading ${noun}…`} lines={4} />
      ) : query.isError ? (
        <ErrorState error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={empty.title} action={empty.action}>
          {empty.text}
        </EmptyState>
      ) : (
        <>
          <Table caption={caption} hideCaption columns={columns} rows={rows} rowKey={rowKey} />
          {pages && (
            <Pagination
              page={pages.state.page}
              hasPrevious={pages.state.hasPrevious}
              hasNext={Boolean(nextCursor)}
              onPrevious={pages.state.previous}
              onNext={() => nextCursor && pages.state.next(nextCursor)}
              summary={`${Noun} ${first}–${first + rows.length - 1}`}
              label={`${Noun} pages`}
            />
          )}
        </>
      )}
    </section>
  );
}
