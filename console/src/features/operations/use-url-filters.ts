import { useSearchParams } from 'react-router';
import { useCursorPages } from '@web/hooks/use-cursor-pages';

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
  return { params, filters: parse(params), pages, setFilter };
}
