import { useCallback, useState } from 'react';

/**
 * Cursor paging as the API does it (`next_cursor`): the cursors of the pages seen so far, so
 * Previous needs nothing from the API. `reset` when the filters change (back to page one).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length + 1,
    hasPrevious: cursors.length > 0,
    next: useCallback((cursor: string) => setCursors((current) => [...current, cursor]), []),
    previous: useCallback(() => setCursors((current) => current.slice(0, -1)), []),
    reset: useCallback(() => setCursors([]), []),
  };
}
