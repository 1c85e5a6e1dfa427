import { useCallback, useEffect, useState } from 'react';

/**
 * Text typed into a form, kept in sessionStorage under the page it was typed on, so that
 * nothing is lost when the session expires and the app goes through sign-in and back (or the
 * tab reloads). `clear()` once the form has been submitted.
 */
const PREFIX = 'keywarden:draft:';

export const draftKey = (page: string, field: string) => `${PREFIX}${page}#${field}`;

function read(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null || value === '') window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // storage full or disabled: the draft lives only in memory
  }
}

export function useDraft(key: string, initial = ''): [string, (value: string) => void, () => void] {
  const [value, setValue] = useState(() => read(key) ?? initial);
  // Another page of the same component (another account): that page's draft.
  useEffect(() => setValue(read(key) ?? initial), [key, initial]);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      write(key, next);
    },
    [key],
  );
  const clear = useCallback(() => {
    setValue(initial);
    write(key, null);
  }, [key, initial]);
  return [value, update, clear];
}

/** Forgets every draft (a deliberate sign-out: the next person at this tab must not see them). */
export function clearDrafts(): void {
  try {
    for (const key of Object.keys(window.sessionStorage)) if (key.startsWith(PREFIX)) window.sessionStorage.removeItem(key);
  } catch {
    // storage disabled: nothing kept
  }
}
