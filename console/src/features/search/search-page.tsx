import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { Button, EmptyState, ErrorState, Kbd, Loading, PageHeader, Pagination } from '@web/components';
import { useDebounced } from '@web/hooks/use-debounced';
import { useLicenseSearch, type SearchFilters } from './api';
import { SearchFiltersBar } from './search-filters';
import { filtersFrom, hasFilters, looksLikeKey, paramsFrom } from './search-params';
import { SearchResults } from './search-results';
import styles from './search.module.css';

/**
 * Page 1: one box that finds a license by its customer's e-mail or name, its whole key, its
 * hint, its id, or a Stripe id, with filters; newest first, a page at a time. Typing searches
 * (debounced); the URL keeps the query, so a search can be shared and Back returns to it.
 */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const handedOver = (location.state as { q?: string } | null)?.q;
  // A whole key is searched for but kept out of the URL (browser history, shared links).
  const [privateQuery, setPrivateQuery] = useState<string | null>(handedOver && looksLikeKey(handedOver) ? handedOver : null);
  const filters: SearchFilters = privateQuery ? { ...filtersFrom(params), q: privateQuery } : filtersFrom(params);
  const [text, setText] = useState(handedOver ?? filters.q ?? '');
  const settled = useDebounced(text, 300);
  const [cursors, setCursors] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);

  const apply = (next: SearchFilters) => {
    setCursors([]);
    const key = next.q && looksLikeKey(next.q) ? next.q : null;
    setPrivateQuery(key);
    setParams(paramsFrom(key ? { ...next, q: undefined } : next), { replace: true });
  };

  // What was typed reaches the URL (and the search) once the typing pauses.
  useEffect(() => {
    if ((settled.trim() || undefined) !== (filters.q?.trim() || undefined)) apply({ ...filters, q: settled.trim() || undefined });
  }, [settled]);

  // Back/forward to another query: the box follows the URL (unless it holds a key, never in the URL).
  useEffect(() => {
    if (!privateQuery) setText(params.get('q') ?? '');
  }, [params]);

  useEffect(() => {
    const state = location.state as { focusSearch?: boolean; q?: string } | null;
    if (state?.focusSearch) input.current?.focus();
    if (state?.q) apply({ ...filtersFrom(params), q: state.q });
  }, [location.state]);

  const cursor = cursors[cursors.length - 1];
  const search = useLicenseSearch(filters, cursor);
  const query = filters.q?.trim() ?? '';
  const tooShort = text.trim().length === 1;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({ ...filters, q: text.trim() || undefined });
  };

  const page = cursors.length + 1;
  const shown = search.data?.data.length ?? 0;
  const from = (page - 1) * 25 + 1;

  return (
    <div className={styles.page}>
      <PageHeader
        title="Search"
        description={
          <>
            Find a license by customer e-mail or name, key, key hint, license id, or Stripe customer or subscription id. Press <Kbd>/</Kbd> to search from anywhere.
          </>
        }
      />
      <form role="search" className={styles.searchForm} onSubmit={submit} aria-label="Licenses">
        <label htmlFor="license-search" className="visually-hidden">
          Search licenses
        </label>
        <input
          ref={input}
          id="license-search"
          type="search"
          className={styles.searchInput}
          placeholder="ada@example.com, KW-…-ZMC1, a key, an id, cus_…, sub_…"
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="license-search-hint"
          autoFocus
        />
        <Button type="submit" variant="primary">
          Search
        </Button>
        <p id="license-search-hint" className={styles.hint}>
          {tooShort ? 'Type at least two characters.' : 'A whole key is matched by its hash: it is never stored or logged.'}
        </p>
      </form>
      <SearchFiltersBar filters={filters} onChange={apply} />
      <section aria-labelledby="results-heading" className={styles.results} aria-busy={search.isFetching}>
        <h2 id="results-heading" className={styles.resultsHeading}>
          {query ? `Licenses matching “${query}”` : hasFilters(filters) ? 'Licenses matching the filters' : 'Newest licenses'}
        </h2>
        {search.isPending ? (
          <Loading label="Searching…" lines={5} />
        ) : search.isError ? (
          <ErrorState error={search.error} title="The search failed" onRetry={() => void search.refetch()} />
        ) : shown === 0 ? (
          <EmptyState
            title={query || hasFilters(filters) ? 'No license matches' : 'No licenses yet'}
            action={
              query || hasFilters(filters) ? (
                <Button
                  onClick={() => {
                    setText('');
                    apply({});
                  }}
                >
                  Clear the search
                </Button>
              ) : undefined
            }
          >
            {query || hasFilters(filters)
              ? 'Check the spelling, try part of the e-mail or name, the key’s last four characters, or remove a filter.'
              : 'Licenses appear here as soon as one is created (POST /v1/licenses) or sold through Stripe.'}
          </EmptyState>
        ) : (
          <>
            <SearchResults hits={search.data.data} query={query} />
            <Pagination
              page={page}
              hasPrevious={cursors.length > 0}
              hasNext={search.data.has_more}
              onPrevious={() => setCursors(cursors.slice(0, -1))}
              onNext={() => search.data.next_cursor && setCursors([...cursors, search.data.next_cursor])}
              summary={`Licenses ${from}–${from + shown - 1}${search.data.has_more ? ' (more on the next page)' : ''}`}
              label="Search results pages"
            />
          </>
        )}
      </section>
    </div>
  );
}
