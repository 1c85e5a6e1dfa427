/**
 * Where to go after signing in. Kept in localStorage when the link is asked for: the link is
 * usually opened from the mail app, in another tab, which has none of this tab's state.
 */
const KEY = 'keywarden:portal:return-to';

/** Only paths of this portal (`/licenses/…`, `/renew?…`): never another site. */
export const safeReturnTo = (value: string | null | undefined) => (value && /^\/(licenses|renew)\b[\w\-/?=&%.]*$/.test(value) ? value : null);

export function rememberReturnTo(path: string | null): void {
  try {
    if (path) localStorage.setItem(KEY, path);
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the customer lands on their licenses instead.
  }
}

export function takeReturnTo(): string | null {
  try {
    const value = safeReturnTo(localStorage.getItem(KEY));
    localStorage.removeItem(KEY);
    return value;
  } catch {
    return null;
  }
}
