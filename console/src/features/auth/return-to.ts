/**
 * Where to go after signing in: a path of the console (`/accounts/…`), never another site
 * (`//evil.example`, `https://…`). Default: the search page.
 */
export function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/search';
  return value;
}
