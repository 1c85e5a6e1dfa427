import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCursorPages } from '@web/hooks/use-cursor-pages';
import { useDebounced } from '@web/hooks/use-debounced';

/**
 * A list page's filters, kept in the URL (so Back and shared links work), and its cursor pages:
 * changing a filter goes back to page one. `onChange` runs on every change (clear a selection).
 */
export function useUrlFilters<Filters>(parse: (params: URLSearchParams) => Filters, onChange?: () => void) {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    pages.reset();
    onChange?.();
    setParams(next, { replace: true });
  };
  /** A typed filter (an event type): the box follows the typing, the URL and the query follow once it pauses. */
  const useTextFilter = (name: string) => {
    const [text, setText] = useState(params.get(name) ?? '');
    const settled = useDebounced(text, 300);
    useEffect(() => {
      if (settled.trim() !== (params.get(name) ?? '')) setFilter(name, settled.trim());
    }, [settled]);
    return [text, setText] as const;
  };
  return { params, filters: parse(params), pages, setFilter, useTextFilter };
}
